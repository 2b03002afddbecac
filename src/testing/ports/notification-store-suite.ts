import { expect } from 'vitest'
import type { NotificationType } from '../../core/notifications/types.js'
import type { DeliveryClaim, NotificationRecord, Storage } from '../../core/ports/index.js'
import { HOUR, T0 } from './port-fixtures.js'
import type { PortSuite } from './port-suite.js'

const MINUTE = 60_000

const record = (
  ns: string,
  name: string,
  customer: string | null,
  type: NotificationType = 'invoice.paid',
): NotificationRecord => ({
  id: `${ns}ntf_${name}`,
  key: `${ns}key_${name}`,
  type,
  customer_id: customer === null ? null : `${ns}${customer}`,
  created_at: T0,
  data: { name, amount: '1500' },
})

/** The ids of the claims on this test's notifications: the store is shared, a destination sees all. */
const mine = (ns: string, claims: readonly DeliveryClaim[]): string[] =>
  claims.filter((c) => c.notification.id.startsWith(ns)).map((c) => c.notification.id)

const claim = (storage: Storage, destination: string, now: number, leaseMs = MINUTE) =>
  storage.notifications.claim(destination, now, leaseMs, 1000)

/**
 * `storage.notifications`: `add` once per key (also under concurrency), `list` in storage order
 * with filters, `claim` leases (never one notification to two claimers, in order per customer),
 * `settle` (retry time, parking), `redeliver` and `deliveries`.
 *
 * @example
 * runStorageSuites({ name: 'mine', create, suites: [notificationStoreSuite] })
 */
export const notificationStoreSuite: PortSuite = {
  id: 'notifications',
  title: 'storage.notifications',
  register: ({ storage, unique, test }) => {
    test('notifications.add-once', 'add: stored once per key, also by 10 concurrent adds', async () => {
      const ns = unique('ntf')
      const first = record(ns, '1', 'c_1')
      expect(await storage().notifications.add([first, record(ns, '2', 'c_1')])).toEqual([true, true])
      expect(await storage().notifications.add([{ ...first, data: { other: true } }])).toEqual([false])
      const racer = record(ns, 'race', 'c_2')
      const racing = await Promise.all(Array.from({ length: 10 }, () => storage().notifications.add([racer])))
      expect(racing.flat().filter(Boolean)).toHaveLength(1)
      const listed = await storage().notifications.list({ customer_id: `${ns}c_2`, limit: 10 })
      expect(listed).toEqual([racer])
      expect(await storage().notifications.list({ customer_id: `${ns}c_1`, limit: 10 })).toEqual([
        first,
        record(ns, '2', 'c_1'),
      ])
    })

    test('notifications.list', 'list: storage order, after an id, by type and customer', async () => {
      const ns = unique('ntf')
      const rows = [
        record(ns, 'b', 'c_1', 'invoice.paid'),
        record(ns, 'a', 'c_2', 'usage.threshold_reached'),
        record(ns, 'c', 'c_1', 'usage.threshold_reached'),
        record(ns, 'd', null, 'invoice.paid'),
      ]
      for (const row of rows) await storage().notifications.add([row])
      const after = await storage().notifications.list({ after: rows[0]!.id, limit: 3 })
      expect(after.map((r) => r.id)).toEqual(rows.slice(1).map((r) => r.id))
      expect(after[2]).toEqual(rows[3])
      const limited = await storage().notifications.list({ after: rows[0]!.id, limit: 1 })
      expect(limited.map((r) => r.id)).toEqual([rows[1]!.id])
      const c1 = await storage().notifications.list({ customer_id: `${ns}c_1`, limit: 10 })
      expect(c1.map((r) => r.id)).toEqual([rows[0]!.id, rows[2]!.id])
      const typed = await storage().notifications.list({
        customer_id: `${ns}c_1`,
        type: 'usage.threshold_reached',
        limit: 10,
      })
      expect(typed.map((r) => r.id)).toEqual([rows[2]!.id])
      const typedAfter = await storage().notifications.list({
        after: rows[0]!.id,
        type: 'invoice.paid',
        limit: 10,
      })
      expect(typedAfter.map((r) => r.id)).toEqual([rows[3]!.id])
    })

    test(
      'notifications.list-newest-first',
      'list newest first: reverse storage order, before an id',
      async () => {
        const ns = unique('ntf')
        const rows = ['a', 'b', 'c', 'd'].map((name) => record(ns, name, 'c_1'))
        for (const row of rows) await storage().notifications.add([row])
        const customer_id = `${ns}c_1`
        const newest = await storage().notifications.list({ customer_id, newest_first: true, limit: 2 })
        expect(newest.map((r) => r.id)).toEqual([rows[3]!.id, rows[2]!.id])
        const older = await storage().notifications.list({
          customer_id,
          newest_first: true,
          after: rows[2]!.id,
          limit: 10,
        })
        expect(older.map((r) => r.id)).toEqual([rows[1]!.id, rows[0]!.id])
      },
    )

    test(
      'notifications.claim-lease',
      'claim: a leased notification goes to no other claimer until its lease ends',
      async () => {
        const ns = unique('ntf')
        const destination = `${ns}dest`
        const rows = Array.from({ length: 6 }, (_, i) => record(ns, String(i), `c_${i}`))
        await storage().notifications.add(rows)
        const claims = await Promise.all(Array.from({ length: 4 }, () => claim(storage(), destination, T0)))
        const claimed = claims.flatMap((c) => mine(ns, c))
        expect(claimed.sort()).toEqual(rows.map((r) => r.id).sort())
        expect(mine(ns, await claim(storage(), destination, T0 + MINUTE - 1))).toEqual([])
        const again = await claim(storage(), destination, T0 + MINUTE)
        expect(mine(ns, again).sort()).toEqual(rows.map((r) => r.id).sort())
        expect(again.filter((c) => c.notification.id.startsWith(ns)).map((c) => c.attempt)).toEqual(
          Array(6).fill(2),
        )
        const first = again.find((c) => c.notification.id === rows[0]!.id)!
        expect(first.notification).toEqual(rows[0])
        // Another destination keeps its own state.
        expect(mine(ns, await claim(storage(), `${ns}other`, T0)).sort()).toEqual(
          rows.map((r) => r.id).sort(),
        )
      },
    )

    test(
      'notifications.claim-order',
      'claim: in order per customer; a later one waits while an earlier one is undelivered',
      async () => {
        const ns = unique('ntf')
        const destination = `${ns}dest`
        const [a1, a2, b1, n1, n2, a3] = [
          record(ns, 'a1', 'c_a'),
          record(ns, 'a2', 'c_a'),
          record(ns, 'b1', 'c_b'),
          record(ns, 'n1', null),
          record(ns, 'n2', null),
          record(ns, 'a3', 'c_a'),
        ]
        await storage().notifications.add([a1!, a2!, b1!, n1!, n2!, a3!])
        expect(mine(ns, await claim(storage(), destination, T0))).toEqual([a1!.id, b1!.id, n1!.id, n2!.id])
        expect(mine(ns, await claim(storage(), destination, T0 + 2 * MINUTE))).toEqual([
          a1!.id,
          b1!.id,
          n1!.id,
          n2!.id,
        ])
        await storage().notifications.settle(destination, [
          { notification_id: a1!.id, outcome: { delivered: true } },
        ])
        expect(mine(ns, await claim(storage(), destination, T0 + 2 * MINUTE))).toEqual([a2!.id])
        await storage().notifications.settle(destination, [
          {
            notification_id: a2!.id,
            outcome: {
              delivered: false,
              error: 'HTTP 500',
              retry_at: T0 + HOUR,
            },
          },
        ])
        expect(mine(ns, await claim(storage(), destination, T0 + 4 * MINUTE))).toEqual([
          b1!.id,
          n1!.id,
          n2!.id,
        ])
        await storage().notifications.settle(destination, [
          { notification_id: a2!.id, outcome: { delivered: true } },
        ])
        expect(mine(ns, await claim(storage(), destination, T0 + 6 * MINUTE))).toEqual([
          b1!.id,
          n1!.id,
          n2!.id,
          a3!.id,
        ])
      },
    )

    test(
      'notifications.settle-park-redeliver',
      'settle: retry time, parking (which holds the customer’s later ones); redeliver',
      async () => {
        const ns = unique('ntf')
        const destination = `${ns}dest`
        const [first, second, other] = [
          record(ns, '1', 'c_1'),
          record(ns, '2', 'c_1'),
          record(ns, '3', 'c_2'),
        ]
        await storage().notifications.add([first!, second!, other!])
        expect(mine(ns, await claim(storage(), destination, T0))).toEqual([first!.id, other!.id])
        await storage().notifications.settle(destination, [
          {
            notification_id: first!.id,
            outcome: {
              delivered: false,
              error: 'timeout',
              retry_at: T0 + 10 * MINUTE,
            },
          },
        ])
        await storage().notifications.settle(destination, [
          {
            notification_id: other!.id,
            outcome: {
              delivered: false,
              error: 'HTTP 410',
              retry_at: null,
            },
          },
        ])
        expect(await storage().notifications.deliveries(first!.id)).toEqual([
          {
            notification_id: first!.id,
            destination,
            status: 'pending',
            attempts: 1,
            next_attempt_at: T0 + 10 * MINUTE,
            last_error: 'timeout',
          },
        ])
        expect(mine(ns, await claim(storage(), destination, T0 + 10 * MINUTE - 1))).toEqual([])
        const retried = await claim(storage(), destination, T0 + 10 * MINUTE)
        expect(
          retried.filter((c) => c.notification.id.startsWith(ns)).map((c) => [c.notification.id, c.attempt]),
        ).toEqual([[first!.id, 2]])
        await storage().notifications.settle(destination, [
          {
            notification_id: first!.id,
            outcome: {
              delivered: false,
              error: 'HTTP 500',
              retry_at: null,
            },
          },
        ])
        const [parked] = await storage().notifications.deliveries(first!.id)
        expect(parked).toMatchObject({
          status: 'failed',
          attempts: 2,
          next_attempt_at: null,
          last_error: 'HTTP 500',
        })
        expect(mine(ns, await claim(storage(), destination, T0 + 2 * HOUR))).toEqual([])

        expect(await storage().notifications.redeliver(destination, T0 + 2 * HOUR, [first!.id])).toBe(1)
        expect(await storage().notifications.redeliver(destination, T0 + 2 * HOUR, [first!.id])).toBe(0)
        const redelivered = await claim(storage(), destination, T0 + 2 * HOUR)
        expect(
          redelivered
            .filter((c) => c.notification.id.startsWith(ns))
            .map((c) => [c.notification.id, c.attempt]),
        ).toEqual([[first!.id, 1]])
        await storage().notifications.settle(destination, [
          { notification_id: first!.id, outcome: { delivered: true } },
        ])
        // A failure reported after another process delivered it does not undo the delivery.
        await storage().notifications.settle(destination, [
          {
            notification_id: first!.id,
            outcome: {
              delivered: false,
              error: 'late',
              retry_at: null,
            },
          },
        ])
        expect((await storage().notifications.deliveries(first!.id))[0]?.status).toBe('delivered')
        expect(mine(ns, await claim(storage(), destination, T0 + 3 * HOUR))).toEqual([second!.id])
        expect(await storage().notifications.redeliver(destination, T0 + 3 * HOUR)).toBeGreaterThanOrEqual(1)
        expect(mine(ns, await claim(storage(), destination, T0 + 3 * HOUR))).toEqual([other!.id])
        expect(await storage().notifications.deliveries(`${ns}ntf_none`)).toEqual([])
      },
    )
  },
}
