import { expect } from 'vitest'
import { type InvoiceRunShard, shardOf } from '../../core/invoices/run-shard.js'
import type { SubscriptionQuery } from '../../core/ports/index.js'
import type { SubscriptionRecord } from '../../core/subscriptions/types.js'
import { HOUR, subscription, T0 } from './port-fixtures.js'
import { own, ownPages, type PortSuite } from './port-suite.js'

/**
 * `storage.subscriptions`: `insert` once per id, `get`, `list` and `listDue` in id order, and
 * `update` by compare-and-set on `revision`.
 *
 * @example
 * runStorageSuites({ name: 'mine', create, suites: [subscriptionStoreSuite] })
 */
export const subscriptionStoreSuite: PortSuite = {
  id: 'subscriptions',
  title: 'storage.subscriptions',
  register: ({ storage, unique, test }) => {
    test(
      'subscriptions.insert',
      'insert: true once per id; false on a taken id, changing nothing',
      async () => {
        const ns = unique('sub')
        const first = subscription(`${ns}s_1`, `${ns}c_1`, T0 + HOUR)
        expect(await storage().subscriptions.insert(first)).toBe(true)
        expect(await storage().subscriptions.insert({ ...first, status: 'paused' })).toBe(false)
        expect(await storage().subscriptions.get(`${ns}s_1`)).toEqual(first)
        const racing = await Promise.all(
          Array.from({ length: 10 }, () =>
            storage().subscriptions.insert(subscription(`${ns}race`, `${ns}c_1`, null)),
          ),
        )
        expect(racing.filter(Boolean)).toHaveLength(1)
      },
    )

    test('subscriptions.get', 'get: the stored subscription, field for field; null when absent', async () => {
      const ns = unique('sub')
      const stored: SubscriptionRecord = {
        ...subscription(`${ns}s_1`, `${ns}c_1`, T0 + HOUR),
        trial_end: T0 + 2 * HOUR,
        cancel_at_period_end: true,
        metadata: { seats: '3' },
      }
      await storage().subscriptions.insert(stored)
      expect(await storage().subscriptions.get(`${ns}s_1`)).toEqual(stored)
      expect(await storage().subscriptions.get(`${ns}none`)).toBeNull()
    })

    test('subscriptions.list', 'list: id order, by customer, after `after`, at most `limit`', async () => {
      const ns = unique('sub')
      await storage().subscriptions.insert(subscription(`${ns}s_2`, `${ns}c_2`, T0 + 3 * HOUR))
      await storage().subscriptions.insert(subscription(`${ns}s_1`, `${ns}c_1`, T0 + HOUR))
      await storage().subscriptions.insert(subscription(`${ns}s_3`, `${ns}c_1`, null))
      const list = (query: SubscriptionQuery) => storage().subscriptions.list(query)
      expect(own(ns, await list({ limit: 10, customer_id: `${ns}c_1` }))).toEqual([`${ns}s_1`, `${ns}s_3`])
      expect(own(ns, await list({ limit: 1, customer_id: `${ns}c_1`, after: `${ns}s_1` }))).toEqual([
        `${ns}s_3`,
      ])
      expect(own(ns, await list({ limit: 2, after: ns }))).toEqual([`${ns}s_1`, `${ns}s_2`])
      expect(own(ns, await list({ limit: 10, after: `${ns}s_1` }))).toEqual([`${ns}s_2`, `${ns}s_3`])
      expect(await list({ limit: 10, customer_id: `${ns}nobody` })).toEqual([])
    })

    test(
      'subscriptions.list-due',
      'listDue: next_invoice_at <= due_by, id order, after `after`, at most `limit`',
      async () => {
        const ns = unique('sub')
        await storage().subscriptions.insert(subscription(`${ns}s_1`, `${ns}c_1`, T0 + HOUR))
        await storage().subscriptions.insert(subscription(`${ns}s_2`, `${ns}c_2`, T0 + 3 * HOUR))
        await storage().subscriptions.insert(subscription(`${ns}s_3`, `${ns}c_1`, null))
        const due = (due_by: number, limit = 100, after = ns) =>
          storage()
            .subscriptions.listDue({ due_by, limit, after })
            .then((rows) => own(ns, rows))
        expect(await due(T0 + 2 * HOUR)).toEqual([`${ns}s_1`])
        expect(await due(T0 + 3 * HOUR)).toEqual([`${ns}s_1`, `${ns}s_2`])
        expect(await due(T0 + 9 * HOUR, 1)).toEqual([`${ns}s_1`])
        expect(await due(T0 + 9 * HOUR, 1, `${ns}s_1`)).toEqual([`${ns}s_2`])
        expect(await due(T0)).toEqual([])
      },
    )

    test(
      'subscriptions.list-due-shard',
      'listDue with a shard: the due subscriptions whose id hashes to it, paged; the shards together, each once',
      async () => {
        const ns = unique('sub')
        const due = Array.from({ length: 12 }, (_, i) => `${ns}s_${String(i).padStart(2, '0')}`)
        for (const id of due) await storage().subscriptions.insert(subscription(id, `${ns}c_1`, T0 + HOUR))
        await storage().subscriptions.insert(subscription(`${ns}s_late`, `${ns}c_1`, T0 + 9 * HOUR))
        const walk = (shard: InvoiceRunShard, limit: number) =>
          ownPages(ns, limit, (after) =>
            storage().subscriptions.listDue({ due_by: T0 + HOUR, limit, after, shard }),
          )
        for (const count of [1, 3]) {
          const shards = await Promise.all(
            Array.from({ length: count }, (_, index) => walk({ index, count }, 2)),
          )
          expect(shards).toEqual(shards.map((_, index) => due.filter((id) => shardOf(id, count) === index)))
          expect(shards.flat().sort()).toEqual(due)
        }
      },
    )

    test(
      'subscriptions.update',
      'update: compare-and-set on revision; of concurrent writers one wins',
      async () => {
        const ns = unique('sub')
        const base = subscription(`${ns}s_1`, `${ns}c_1`, T0 + HOUR)
        await storage().subscriptions.insert(base)
        await storage().subscriptions.insert(subscription(`${ns}s_2`, `${ns}c_2`, T0 + 3 * HOUR))
        const statuses = ['paused', 'past_due', 'active'] as const
        const results = await Promise.all(
          statuses.map((status) => storage().subscriptions.update({ ...base, status, revision: 1 })),
        )
        expect(results.filter(Boolean)).toHaveLength(1)
        const stored = await storage().subscriptions.get(`${ns}s_1`)
        expect(stored).toEqual({ ...base, status: statuses[results.indexOf(true)], revision: 1 })
        // A stale writer, a writer that skips a revision, and an absent subscription all change nothing.
        expect(await storage().subscriptions.update({ ...base, revision: 1 })).toBe(false)
        expect(await storage().subscriptions.update({ ...base, revision: 3 })).toBe(false)
        expect(await storage().subscriptions.update({ ...base, id: `${ns}none`, revision: 1 })).toBe(false)
        expect(await storage().subscriptions.get(`${ns}s_1`)).toEqual(stored)
        expect(await storage().subscriptions.get(`${ns}none`)).toBeNull()
        const next = { ...stored!, next_invoice_at: null, revision: 2 }
        expect(await storage().subscriptions.update(next)).toBe(true)
        expect(await storage().subscriptions.get(`${ns}s_1`)).toEqual(next)
        const due = await storage().subscriptions.listDue({ due_by: T0 + 3 * HOUR, after: ns, limit: 10 })
        expect(own(ns, due)).toEqual([`${ns}s_2`])
      },
    )
  },
}
