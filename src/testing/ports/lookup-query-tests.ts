import { expect } from 'vitest'
import { allowanceFill } from '../../core/entitlements/allowance-fill.js'
import { compileMeterEffects } from '../../core/meters/meter-effects.js'
import type { AllowanceRecord } from '../../core/ports/index.js'
import { customer, draft, event, meter, numbering } from './port-fixtures.js'
import { own, type PortSuiteContext } from './port-suite.js'

const DAY = 86_400_000

/**
 * The lookups of the dashboard: `customers.search`, `entitlements.nearLimit`, `invoices.totals`,
 * and `invoices.list` with `due_before` (past due).
 * The store is shared, so each test keeps to its own ids or to a stretch of time no other test uses.
 *
 * @example
 * registerLookupQueryTests(ctx)
 */
export function registerLookupQueryTests({ storage, unique, test }: PortSuiteContext): void {
  test(
    'customers.search',
    'search: id, email or name containing the query, any case; wildcards and quotes match themselves',
    async () => {
      const ns = unique('srch')
      const stored = [
        { ...customer(`${ns}alpha`, 'Ada Lovelace'), email: 'Ada.Lovelace@Example.com' },
        customer(`${ns}beta`, 'Grace 50%_off'),
        customer(`${ns}gamma`, 'Grace 50xxoff'),
        customer(`${ns}delta`, 'back\\slash! and it’s'),
        customer(`${ns}eps`, 'Élodie'),
        customer(`${ns}zeta`, null),
      ]
      for (const c of stored) await storage().customers.insert(c)
      const search = async (query: string, limit = 100, after?: string) =>
        own(ns, await storage().customers.search({ query, limit, ...(after === undefined ? {} : { after }) }))
      const id = (name: string) => `${ns}${name}`
      expect(await search('LOVELACE@example')).toEqual([id('alpha')])
      expect(await search('ada')).toEqual([id('alpha')])
      expect(await search(`${ns.toUpperCase()}B`)).toEqual([id('beta')])
      expect(await search('grace')).toEqual([id('beta'), id('gamma')])
      expect(await search('50%_off')).toEqual([id('beta')])
      expect(await search('%')).toEqual([id('beta')])
      expect(await search('_')).toEqual(stored.map((c) => c.id).sort()) // every id holds one
      expect(await search('\\')).toEqual([id('delta')])
      expect(await search('!')).toEqual([id('delta')])
      expect(await search('it’s')).toEqual([id('delta')])
      expect(await search('ÉLO')).toEqual([id('eps')])
      expect(await search("%' OR 1=1 --")).toEqual([])
      expect(await search("' OR '1'='1")).toEqual([])
      expect(await storage().customers.search({ query: `${ns}nobody`, limit: 10 })).toEqual([])
      // A page in id order after `after`.
      expect(await search(ns, 2)).toEqual([id('alpha'), id('beta')])
      expect(await search(ns, 2, id('beta'))).toEqual([id('delta'), id('eps')])
      // `save` rewrites what is searched.
      await storage().customers.save(customer(`${ns}zeta`, 'Renamed'))
      expect(await search('renamed')).toEqual([id('zeta')])
      const [found] = await storage().customers.search({ query: `${ns}alpha`, limit: 1 })
      expect(found).toEqual(stored[0])
    },
  )

  test(
    'entitlements.near-limit',
    'nearLimit: current allowances filled to the ratio, fullest first, by key on ties, paged',
    async () => {
      const ns = unique('near')
      // A month of its own, far from every other test's periods.
      const start = Date.UTC(2091, 0, 1)
      const at = start + 10 * DAY
      const code = `${ns}calls`
      await storage().meters.insert(meter(ns, code), compileMeterEffects)
      const open = (c: string, limit: string | null, period_start = start) =>
        storage().entitlements.open(
          [
            {
              customer_id: `${ns}${c}`,
              meter: code,
              period_start,
              period_end: period_start + 31 * DAY,
              limit,
              enforce: false,
            },
          ],
          compileMeterEffects,
          start,
        )
      const use = (c: string, n: number, timestamp = start + DAY) =>
        storage().events.append(
          Array.from({ length: n }, (_, i) =>
            event(ns, `${ns}${c}_${timestamp}_${i}`, `${ns}${c}`, timestamp),
          ),
          compileMeterEffects,
        )
      await use('c1', 9) // counted when the allowance opens
      for (const [c, limit] of [
        ['c1', '10'],
        ['c2', '10'],
        ['c3', '10'],
        ['c4', '0'],
        ['c5', null],
        ['c6', '10'],
      ] as const)
        await open(c, limit)
      await use('c2', 8)
      await use('c3', 5)
      await use('c5', 50)
      await use('c6', 7)
      await storage().entitlements.reserve(
        {
          id: `${ns}rsv`,
          idempotency_key: `${ns}rsv`,
          customer_id: `${ns}c3`,
          meter: code,
          period_start: start,
          quantity: '4',
          status: 'held',
          expires_at: at + DAY,
          created_at: start,
          settled_by: null,
          settled_quantity: null,
        },
        start,
      )
      // Full, but of the next period: not current at `at`.
      await open('c6', '1', start + 31 * DAY)
      await use('c6', 2, start + 32 * DAY)
      const near = async (ratio: number, limit = 100, after?: AllowanceRecord) =>
        (
          await storage().entitlements.nearLimit({
            at,
            ratio,
            limit,
            ...(after === undefined ? {} : { after: { ...after, fill: allowanceFill(after) ?? 0 } }),
          })
        ).map((a) => [a.customer_id.slice(ns.length), a.used, a.reserved])
      // c4 has an allowance of zero, unused: full. c3 is 5 used + 4 held of 10.
      expect(await near(0.8)).toEqual([
        ['c4', '0', '0'],
        ['c1', '9', '0'],
        ['c3', '5', '4'],
        ['c2', '8', '0'],
      ])
      expect(await near(0.85)).toEqual([
        ['c4', '0', '0'],
        ['c1', '9', '0'],
        ['c3', '5', '4'],
      ])
      expect(await near(0.5, 2)).toEqual([
        ['c4', '0', '0'],
        ['c1', '9', '0'],
      ])
      const [, second] = await storage().entitlements.nearLimit({ at, ratio: 0.5, limit: 2 })
      expect(await near(0.5, 2, second)).toEqual([
        ['c3', '5', '4'],
        ['c2', '8', '0'],
      ])
      // A grant is written with the fill it leaves: c1 at 9 of 20 is no longer near.
      await storage().entitlements.grant(
        { customer_id: `${ns}c1`, meter: code, period_start: start },
        '10',
        start,
      )
      expect((await near(0.8)).map(([c]) => c)).toEqual(['c4', 'c3', 'c2'])
      expect(await storage().entitlements.nearLimit({ at: start - 1, ratio: 0, limit: 100 })).toEqual([])
    },
  )

  test(
    'invoices.totals',
    'totals: finalized invoices of [from, to) counted and summed per currency and status',
    async () => {
      const ns = unique('tot')
      const seq = numbering(ns)
      const from = Date.UTC(2092, 2, 1)
      const to = Date.UTC(2092, 3, 1)
      const iso = (t: number) => new Date(t).toISOString()
      const final = (n: number, finalizedAt: number, currency = 'NGN', total = 1000) => ({
        invoice: {
          ...draft(`${ns}in_${n}`, `${ns}s_${n}`, iso(to), `${ns}c`),
          status: 'open' as const,
          currency,
          total,
          finalized_at: iso(finalizedAt),
        },
        final: true,
      })
      await storage().invoices.create(
        [
          final(1, from),
          final(2, from + DAY, 'NGN', 2500),
          final(3, from + 2 * DAY, 'USD', 700),
          final(4, from + 3 * DAY, 'USD', 300),
          final(5, from - 1),
          final(6, to),
          final(7, from + 4 * DAY, 'USD', 99),
        ],
        seq,
      )
      await storage().invoices.create(
        [{ invoice: draft(`${ns}in_8`, `${ns}s_8`, iso(to), `${ns}c`), final: false }],
        seq,
      )
      const drafted = (await storage().invoices.get(`${ns}in_8`))!
      await storage().invoices.finalize({ ...drafted, status: 'open', finalized_at: iso(from + DAY) }, seq)
      const moved = iso(from + 5 * DAY)
      await storage().invoices.transition(`${ns}in_2`, ['open'], {
        status: 'paid',
        updated_at: moved,
        paid_at: moved,
      })
      await storage().invoices.transition(`${ns}in_4`, ['open'], {
        status: 'uncollectible',
        updated_at: moved,
      })
      await storage().invoices.transition(`${ns}in_7`, ['open'], {
        status: 'void',
        updated_at: moved,
        voided_at: moved,
      })
      expect(await storage().invoices.totals({ from, to })).toEqual([
        { currency: 'NGN', status: 'open', count: 2, total: 2000 },
        { currency: 'NGN', status: 'paid', count: 1, total: 2500 },
        { currency: 'USD', status: 'open', count: 1, total: 700 },
        { currency: 'USD', status: 'uncollectible', count: 1, total: 300 },
      ])
      expect(await storage().invoices.totals({ from: to, to: to + 1 })).toEqual([
        { currency: 'NGN', status: 'open', count: 1, total: 1000 },
      ])
      expect(await storage().invoices.totals({ from: from + 6 * DAY, to })).toEqual([])
    },
  )

  test(
    'invoices.listPastDue',
    'past due: due_before lists only open invoices due before it, and forgets them once paid or void',
    async () => {
      const ns = unique('due')
      const seq = numbering(ns)
      const at = Date.UTC(2093, 4, 10)
      const iso = (t: number) => new Date(t).toISOString()
      const open = (n: number, dueAt: number | null) => ({
        invoice: {
          ...draft(`${ns}in_${n}`, `${ns}s_${n}`, iso(at), `${ns}c`),
          status: 'open' as const,
          finalized_at: iso(at - 30 * DAY),
          due_at: dueAt === null ? null : iso(dueAt),
        },
        final: true,
      })
      await storage().invoices.create(
        [
          open(1, at - DAY),
          open(2, at - 1),
          open(3, at),
          open(4, at + DAY),
          open(5, null),
          open(6, at - 2 * DAY),
        ],
        seq,
      )
      // A draft with a due date in the past is not past due: it is not owed yet.
      await storage().invoices.create(
        [
          {
            invoice: { ...draft(`${ns}in_7`, `${ns}s_7`, iso(at), `${ns}c`), due_at: iso(at - DAY) },
            final: false,
          },
        ],
        seq,
      )
      const pastDue = async (before: number, after?: string, limit = 1000) =>
        (
          await storage().invoices.list({
            customer_id: `${ns}c`,
            due_before: before,
            limit,
            ...(after === undefined ? {} : { after }),
          })
        ).map((i) => i.id)
      const id = (n: number) => `${ns}in_${n}`
      expect(await pastDue(at)).toEqual([id(1), id(2), id(6)])
      expect(await pastDue(at + 1)).toEqual([id(1), id(2), id(3), id(6)])
      expect(await pastDue(at, undefined, 2)).toEqual([id(1), id(2)])
      expect(await pastDue(at, id(2))).toEqual([id(6)])
      // Without a customer the same invoices are found among every customer's.
      expect(own(ns, await storage().invoices.list({ due_before: at, limit: 1000 }))).toEqual([
        id(1),
        id(2),
        id(6),
      ])
      const moved = iso(at)
      await storage().invoices.transition(id(1), ['open'], {
        status: 'paid',
        updated_at: moved,
        paid_at: moved,
      })
      await storage().invoices.transition(id(6), ['open'], {
        status: 'void',
        updated_at: moved,
        voided_at: moved,
      })
      await storage().invoices.transition(id(2), ['open'], { status: 'uncollectible', updated_at: moved })
      expect(await pastDue(at + 1)).toEqual([id(3)])
    },
  )
}
