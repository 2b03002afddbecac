import { expect } from 'vitest'
import type { StoredEvent } from '../../core/events/types.js'
import { compileMeterEffects } from '../../core/meters/meter-effects.js'
import { closedPeriodTests } from './closed-period-tests.js'
import { ACCEPTED_UNMETERED, event, HOUR, meter, T0 } from './port-fixtures.js'
import type { PortSuite } from './port-suite.js'

const keys = (events: readonly StoredEvent[]): string[] => events.map((e) => e.idempotency_key)

/**
 * `storage.events`: each idempotency key stored once with its rollups, pages in (timestamp, seq)
 * order, window edges, and closed periods.
 *
 * @example
 * runStorageSuites({ name: 'mine', create, suites: [eventStoreSuite] })
 */
export const eventStoreSuite: PortSuite = {
  id: 'events',
  title: 'storage.events',
  register: (ctx) => {
    const { storage, unique, test } = ctx

    test(
      'events.append',
      'append: accepted once per key, then duplicate or conflict with the stored hash',
      async () => {
        const ns = unique('evt')
        const first = event(ns, `${ns}k1`, `${ns}c`, T0, { properties: { n: 1 }, properties_json: '{"n":1}' })
        expect(await storage().events.append([first], compileMeterEffects)).toEqual([ACCEPTED_UNMETERED])
        const outcomes = await storage().events.append(
          [first, event(ns, `${ns}k2`, `${ns}c`, T0)],
          compileMeterEffects,
        )
        expect(outcomes).toEqual([{ status: 'duplicate', stored_hash: `h_${ns}k1` }, ACCEPTED_UNMETERED])
        const changed = {
          ...first,
          payload_hash: 'changed',
          properties: { n: 2 },
          properties_json: '{"n":2}',
        }
        expect(await storage().events.append([changed], compileMeterEffects)).toEqual([
          { status: 'conflict', stored_hash: `h_${ns}k1` },
        ])
        const stored = await storage().events.list({ customer_id: `${ns}c`, limit: 10 })
        expect(keys(stored)).toEqual([`${ns}k1`, `${ns}k2`])
        expect(stored[0]).toMatchObject({
          properties: { n: 1 },
          event_name: `${ns}call`,
          timestamp: T0,
          received_at: T0,
        })
      },
    )

    test(
      'events.append-counts',
      'append: an accepted event adds its deltas to the rollups; a duplicate adds none',
      async () => {
        const ns = unique('evt')
        await storage().meters.insert(meter(ns, `${ns}tokens`, 'tokens'), compileMeterEffects)
        const withTokens = (key: string, tokens: number) =>
          event(ns, `${ns}${key}`, `${ns}c`, T0 + 60_000, {
            properties: { tokens },
            properties_json: JSON.stringify({ tokens }),
          })
        const outcomes = await storage().events.append(
          [withTokens('a', 5), withTokens('b', 7)],
          compileMeterEffects,
        )
        expect(outcomes).toEqual([
          { status: 'accepted', warnings: [] },
          { status: 'accepted', warnings: [] },
        ])
        await storage().events.append([withTokens('a', 5), withTokens('c', 0.5)], compileMeterEffects)
        const state = await storage().meters.readRollups({
          meter: `${ns}tokens`,
          customer_id: `${ns}c`,
          fromBucket: T0,
          toBucket: T0 + HOUR,
        })
        expect(state).toMatchObject({ count: 3, sum: '12.5' })
      },
    )

    test(
      'events.append-race',
      'append: of concurrent calls with overlapping keys each key is stored and counted once',
      async () => {
        const ns = unique('evt')
        await storage().meters.insert(meter(ns, `${ns}calls`), compileMeterEffects)
        // 10 callers, caller i sending keys [5i, 5i + 20): most keys are sent by four callers at once.
        const calls = Array.from({ length: 10 }, (_, i) =>
          storage().events.append(
            Array.from({ length: 20 }, (_, j) =>
              event(ns, `${ns}k${i * 5 + j}`, `${ns}c`, T0 + (i * 5 + j) * 1000),
            ),
            compileMeterEffects,
          ),
        )
        const outcomes = (await Promise.all(calls)).flat()
        const distinct = 9 * 5 + 20
        expect(outcomes.filter((o) => o.status === 'accepted')).toHaveLength(distinct)
        expect(outcomes.filter((o) => o.status === 'duplicate')).toHaveLength(200 - distinct)
        expect(await storage().events.list({ customer_id: `${ns}c`, limit: 1000 })).toHaveLength(distinct)
        const state = await storage().meters.readRollups({
          meter: `${ns}calls`,
          customer_id: `${ns}c`,
          fromBucket: T0,
          toBucket: T0 + 2 * HOUR,
        })
        expect(state.count).toBe(distinct)
      },
    )

    test(
      'events.list',
      'list: one customer in (timestamp, seq) order, within [from, to), by pages after a position',
      async () => {
        const ns = unique('evt')
        // Three events share each timestamp; the batches arrive out of time order.
        for (const batch of [2, 0, 1]) {
          await storage().events.append(
            [0, 1, 2].map((j) => event(ns, `${ns}t${batch}_${j}`, `${ns}c`, T0 + batch * 1000)),
            compileMeterEffects,
          )
        }
        await storage().events.append([event(ns, `${ns}other`, `${ns}d`, T0)], compileMeterEffects)
        const all = await storage().events.list({ customer_id: `${ns}c`, limit: 100 })
        expect(all.map((e) => e.timestamp)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2].map((b) => T0 + b * 1000))
        for (let i = 1; i < all.length; i++) {
          if (all[i]!.timestamp === all[i - 1]!.timestamp)
            expect(all[i]!.seq).toBeGreaterThan(all[i - 1]!.seq)
        }
        expect(new Set(keys(all)).size).toBe(9)

        const paged: StoredEvent[] = []
        let after: { timestamp: number; seq: number } | undefined
        for (;;) {
          const page = await storage().events.list({
            customer_id: `${ns}c`,
            limit: 2,
            ...(after ? { after } : {}),
          })
          expect(page.length).toBeLessThanOrEqual(2)
          if (page.length === 0) break
          paged.push(...page)
          const last = page.at(-1)!
          after = { timestamp: last.timestamp, seq: last.seq }
        }
        expect(keys(paged)).toEqual(keys(all))

        const window = await storage().events.list({
          customer_id: `${ns}c`,
          from: T0 + 1000,
          to: T0 + 2000,
          limit: 100,
        })
        expect(keys(window)).toEqual(keys(all.slice(3, 6)))
        expect(
          keys(await storage().events.list({ customer_id: `${ns}c`, from: T0 + 2000, limit: 100 })),
        ).toEqual(keys(all.slice(6)))
        expect(
          keys(await storage().events.list({ customer_id: `${ns}c`, to: T0 + 1000, limit: 100 })),
        ).toEqual(keys(all.slice(0, 3)))
        expect(await storage().events.list({ customer_id: `${ns}nobody`, limit: 100 })).toEqual([])
      },
    )

    test('events.read-edges', 'readEdges: one customer’s events of one name within [from, to)', async () => {
      const ns = unique('evt')
      await storage().events.append(
        [
          event(ns, `${ns}a`, `${ns}c`, T0 - 1),
          event(ns, `${ns}b`, `${ns}c`, T0),
          event(ns, `${ns}c`, `${ns}c`, T0 + 999),
          event(ns, `${ns}d`, `${ns}c`, T0 + 1000),
          event(ns, `${ns}e`, `${ns}c`, T0 + 500, { event_name: `${ns}other` }),
          event(ns, `${ns}f`, `${ns}x`, T0 + 500),
        ],
        compileMeterEffects,
      )
      const edges = await storage().events.readEdges({
        customer_id: `${ns}c`,
        event_name: `${ns}call`,
        from: T0,
        to: T0 + 1000,
      })
      expect(keys(edges).sort()).toEqual([`${ns}b`, `${ns}c`])
      expect(edges.find((e) => e.idempotency_key === `${ns}c`)).toMatchObject({
        timestamp: T0 + 999,
        properties: {},
      })
    })

    closedPeriodTests(ctx)
  },
}
