import { expect } from 'vitest'
import { type InvoiceRunShard, shardOf } from '../../core/invoices/run-shard.js'
import type { Invoice } from '../../core/invoices/types.js'
import type { InvoiceCreated } from '../../core/ports/index.js'
import { invoiceOneOffTests } from './invoice-one-off-tests.js'
import { invoiceStatusTests } from './invoice-status-tests.js'
import { draft, HOUR, numbering, subscription, T0 } from './port-fixtures.js'
import { ids, ownPages, type PortSuite, type PortSuiteContext } from './port-suite.js'

const FEB = '2026-02-01T00:00:00.000Z'
const MAR = '2026-03-01T00:00:00.000Z'

/** Creates one draft invoice (not final) on the test's own sequence. */
const createDraft = async (ctx: PortSuiteContext, ns: string, invoice: Invoice): Promise<InvoiceCreated> =>
  (await ctx.storage().invoices.create([{ invoice, final: false }], numbering(ns)))[0]!

/**
 * `storage.invoices`: one invoice per (subscription, period end), gapless numbers per sequence,
 * drafts replaced only while drafts, status transitions of which one caller wins, one-off
 * invoices per key, and a paid top-up's grant applied once.
 *
 * @example
 * runStorageSuites({ name: 'mine', create, suites: [invoiceStoreSuite] })
 */
export const invoiceStoreSuite: PortSuite = {
  id: 'invoices',
  title: 'storage.invoices',
  register: (ctx) => {
    const { storage, unique, test } = ctx

    test(
      'invoices.create-once',
      'create: one invoice per (subscription, period end), even racing',
      async () => {
        const ns = unique('inv')
        const first = await createDraft(ctx, ns, draft(`${ns}in_a1`, `${ns}s_1`, FEB))
        expect(first).toEqual({
          created: true,
          invoice: draft(`${ns}in_a1`, `${ns}s_1`, FEB),
          advanced: false,
        })
        const again = await createDraft(ctx, ns, { ...draft(`${ns}in_a2`, `${ns}s_1`, FEB), total: 5 })
        expect(again).toEqual({ created: false, invoice: first.invoice, advanced: false })
        expect(await storage().invoices.get(`${ns}in_a2`)).toBeNull()
        // Another period of the same subscription is another invoice.
        expect((await createDraft(ctx, ns, draft(`${ns}in_a3`, `${ns}s_1`, MAR))).created).toBe(true)

        const racing = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            createDraft(ctx, ns, draft(`${ns}in_r${String(i).padStart(2, '0')}`, `${ns}s_2`, MAR)),
          ),
        )
        expect(racing.filter((r) => r.created)).toHaveLength(1)
        const winner = racing.find((r) => r.created)!.invoice
        for (const r of racing) expect(r.invoice).toEqual(winner)
        expect(ids(await storage().invoices.list({ limit: 30, subscription_id: `${ns}s_2` }))).toEqual([
          winner.id,
        ])
      },
    )

    test(
      'invoices.list-shard',
      'list with a shard: the invoices whose subscription hashes to it, by status, paged; the shards together, each once',
      async () => {
        const ns = unique('inv')
        const subs = Array.from({ length: 12 }, (_, i) => `${ns}s_${String(i).padStart(2, '0')}`)
        await storage().invoices.create(
          subs.map((sub, i) => ({
            invoice: {
              ...draft(`${ns}in_${sub.slice(ns.length)}`, sub, FEB),
              status: i < 8 ? 'draft' : 'open',
            },
            final: i >= 8,
          })),
          numbering(ns),
        )
        // A one-off invoice is stored by its own statement: it is placed by its subscription too.
        const oneOff: Invoice = {
          ...draft(`${ns}in_t`, subs[0]!, FEB),
          status: 'open',
          billing_reason: 'top_up',
        }
        await storage().invoices.createOneOff(oneOff, `${ns}k`, numbering(ns))
        const stored = [
          ...subs.map((sub, i) => ({ id: `${ns}in_${sub.slice(ns.length)}`, sub, draft: i < 8 })),
          { id: oneOff.id, sub: subs[0]!, draft: false },
        ]
        const walk = (shard: InvoiceRunShard, status?: 'draft') =>
          ownPages(ns, 2, (after) =>
            storage().invoices.list({ limit: 2, after, shard, ...(status ? { status } : {}) }),
          )
        const expected = (index: number, count: number, drafts: boolean) =>
          stored
            .filter((row) => shardOf(row.sub, count) === index && (!drafts || row.draft))
            .map((row) => row.id)
            .sort()
        for (const count of [1, 3]) {
          for (const drafts of [true, false]) {
            const shards = await Promise.all(
              Array.from({ length: count }, (_, index) =>
                walk({ index, count }, drafts ? 'draft' : undefined),
              ),
            )
            expect(shards).toEqual(shards.map((_, index) => expected(index, count, drafts)))
            expect(shards.flat()).toHaveLength(drafts ? 8 : 13)
          }
        }
      },
    )

    test(
      'invoices.create-numbering',
      'create: batches number their final invoices gaplessly, in item order',
      async () => {
        const ns = unique('inv')
        const seq = numbering(ns, 'B')
        const batch = (tag: string) =>
          Array.from({ length: 10 }, (_, i) => ({
            invoice: { ...draft(`${ns}in_${tag}${i}`, `${ns}s_b${i}`, FEB), status: 'open' as const },
            final: i % 2 === 0,
          }))
        const racing = await Promise.all(
          ['x', 'y', 'z'].map((tag) => storage().invoices.create(batch(tag), seq)),
        )
        const created = racing.flat().filter((r) => r.created)
        expect(created).toHaveLength(10)
        const numbers = created.map((r) => r.invoice.number)
        expect(numbers.filter((n) => n !== null).sort()).toEqual([1, 2, 3, 4, 5].map(seq.format))
        expect(
          created
            .filter((r) => r.invoice.number === null)
            .map((r) => r.invoice.subscription_id)
            .sort(),
        ).toEqual([1, 3, 5, 7, 9].map((i) => `${ns}s_b${i}`))
        for (const results of racing) {
          expect(results.map((r) => r.invoice.subscription_id)).toEqual(results.map((_, i) => `${ns}s_b${i}`))
          expect(new Set(results.map((r) => r.invoice.id)).size).toBe(10)
        }
        // Within one call, numbers follow the order of the items.
        const ordered = await storage().invoices.create(
          [0, 1, 2].map((i) => ({
            invoice: { ...draft(`${ns}in_o${i}`, `${ns}s_o${i}`, FEB), status: 'open' as const },
            final: true,
          })),
          seq,
        )
        expect(ordered.map((r) => r.invoice.number)).toEqual([6, 7, 8].map(seq.format))
        expect((await storage().invoices.get(`${ns}in_o2`))?.number).toBe(seq.format(8))
      },
    )

    test(
      'invoices.create-advance',
      'create: `advance` is a compare-and-set of the subscription, tried even when the invoice exists',
      async () => {
        const ns = unique('inv')
        const sub = subscription(`${ns}s_1`, `${ns}c_1`, T0 + HOUR)
        await storage().subscriptions.insert(sub)
        const item = (id: string, advance: typeof sub) => ({
          invoice: draft(id, sub.id, FEB),
          final: false,
          advance,
        })
        const [advanced] = await storage().invoices.create(
          [item(`${ns}in_1`, { ...sub, next_invoice_at: T0 + 7 * HOUR, revision: 1 })],
          numbering(ns),
        )
        expect(advanced).toEqual({ created: true, invoice: draft(`${ns}in_1`, sub.id, FEB), advanced: true })
        expect(await storage().subscriptions.get(sub.id)).toMatchObject({
          next_invoice_at: T0 + 7 * HOUR,
          revision: 1,
        })

        const [stale] = await storage().invoices.create(
          [item(`${ns}in_2`, { ...sub, revision: 1 })],
          numbering(ns),
        )
        expect(stale).toMatchObject({ created: false, advanced: false, invoice: { id: `${ns}in_1` } })
        expect((await storage().subscriptions.get(sub.id))?.next_invoice_at).toBe(T0 + 7 * HOUR)

        const [late] = await storage().invoices.create(
          [item(`${ns}in_3`, { ...sub, next_invoice_at: T0 + 9 * HOUR, revision: 2 })],
          numbering(ns),
        )
        expect(late).toMatchObject({ created: false, advanced: true, invoice: { id: `${ns}in_1` } })
        expect(await storage().subscriptions.get(sub.id)).toMatchObject({
          next_invoice_at: T0 + 9 * HOUR,
          revision: 2,
        })
      },
    )

    test(
      'invoices.finalize',
      'finalize: gapless unique numbers under concurrency; a second finalize is null',
      async () => {
        const ns = unique('inv')
        const seq = numbering(ns)
        const drafts = Array.from({ length: 20 }, (_, i) =>
          draft(`${ns}in_f${String(i).padStart(2, '0')}`, `${ns}s_f${i}`, FEB, `${ns}c_f`),
        )
        for (const doc of drafts) expect((await createDraft(ctx, ns, doc)).created).toBe(true)
        const finals = await Promise.all(
          drafts.map((d) =>
            storage().invoices.finalize({ ...d, status: 'open', finalized_at: d.created_at }, seq),
          ),
        )
        expect(finals.map((f) => f?.number).sort()).toEqual(
          Array.from({ length: 20 }, (_, i) => seq.format(i + 1)).sort(),
        )
        const stored = await storage().invoices.get(`${ns}in_f03`)
        expect(stored).toEqual(finals[3])
        expect(stored).toMatchObject({ status: 'open', finalized_at: drafts[3]!.created_at })
        expect(await storage().invoices.finalize({ ...drafts[3]!, status: 'open' }, seq)).toBeNull()
        expect(await storage().invoices.updateDraft({ ...drafts[3]!, total: 1 })).toBe(false)
        expect(await storage().invoices.get(`${ns}in_f03`)).toEqual(stored)

        // Each sequence counts on its own.
        await createDraft(ctx, ns, draft(`${ns}in_other`, `${ns}s_other`, FEB))
        const other = await storage().invoices.finalize(
          { ...draft(`${ns}in_other`, `${ns}s_other`, FEB), status: 'open' },
          numbering(ns, 'OTHER'),
        )
        expect(other?.number).toBe(numbering(ns, 'OTHER').format(1))
      },
    )

    invoiceStatusTests(ctx)
    invoiceOneOffTests(ctx)
  },
}
