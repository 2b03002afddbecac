import { expect } from 'vitest'
import type { NotificationRecord } from '../../core/ports/index.js'
import { T0 } from '../ports/port-fixtures.js'
import type { CrossProcessContext } from './cross-process-suite.js'
import { rotate, winnersByKey } from './key-order.js'

const T = 120_000
const LEASE = 60_000

const record = (ns: string, n: number, customer: string): NotificationRecord => ({
  id: `${ns}ntf_${n}`,
  key: `${ns}key_${n}`,
  type: 'invoice.paid',
  customer_id: `${ns}${customer}`,
  created_at: T0,
  data: { n },
})

/**
 * The cross-process tests of the outbox: one notification per key of processes adding at once, and
 * processes claiming at once never holding one notification together, nor two of one customer.
 *
 * @example
 * crossNotificationTests(ctx)
 */
export function crossNotificationTests({ ready, unique, test }: CrossProcessContext): void {
  test(
    'cross-process.notifications-add-once',
    'of processes adding the same notification keys at once, one stores each',
    async () => {
      const { processes, storage } = await ready()
      const ns = unique('xntf')
      const records = Array.from({ length: 8 }, (_, n) => record(ns, n, `c${n}`))
      // One record per call, as writers add them (one per transaction), each process in its own order.
      const results = await processes.run((p) =>
        rotate(records, p).map((r) => ({ method: 'notifications.add' as const, records: [r] })),
      )
      const winners = winnersByKey(
        records.length,
        results.map((answers) => answers.map((a) => a[0])),
        (stored) => stored === true,
      )
      for (let n = 0; n < records.length; n++) expect(winners[n], `notification ${n}`).toHaveLength(1)
      const listed = await storage.notifications.list({ customer_id: `${ns}c3`, limit: 10 })
      expect(listed).toEqual([records[3]])
    },
    T,
  )

  test(
    'cross-process.notifications-claim',
    'of processes claiming at once, no two hold one notification or two of one customer',
    async () => {
      const { processes, storage } = await ready()
      const ns = unique('xntf')
      // 24 customers with one notification each, and one customer with six in a row.
      const records = [
        ...Array.from({ length: 24 }, (_, n) => record(ns, n, `c${n}`)),
        ...Array.from({ length: 6 }, (_, n) => record(ns, 100 + n, 'busy')),
      ]
      await storage.notifications.add(records)
      const destination = `${ns}dest`
      const claim = { method: 'notifications.claim' as const, destination, now: T0, leaseMs: LEASE, limit: 4 }
      const results = await processes.run(() => Array.from({ length: 10 }, () => claim))
      const claimed = results.flat(2).filter((c) => c.notification.id.startsWith(ns))
      const ids = claimed.map((c) => c.notification.id)
      expect(new Set(ids).size).toBe(ids.length)
      expect([...ids].sort()).toEqual([...records.slice(0, 25).map((r) => r.id)].sort())
      for (const c of claimed) expect(c.attempt).toBe(1)
    },
    T,
  )
}
