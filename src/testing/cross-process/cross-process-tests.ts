import { expect } from 'vitest'
import type { PreparedEvent } from '../../core/events/types.js'
import type { AppendOutcome } from '../../core/ports/index.js'
import { customer, event, HOUR, meter, T0 } from '../ports/port-fixtures.js'
import { crossAllowanceTests } from './cross-allowance-tests.js'
import { crossNotificationTests } from './cross-notification-tests.js'
import type { CrossProcessContext } from './cross-process-suite.js'
import { crossRecordTests } from './cross-record-tests.js'
import { rotate } from './key-order.js'
import type { StorageCall } from './storage-calls.js'

const T = 120_000

/**
 * The cross-process tests of the event log and meters: migrations, each key stored once, one meter
 * per code, closed periods. The record tests follow in {@link crossRecordTests}, then the
 * notification and allowance tests.
 *
 * @example
 * crossProcessTests(ctx)
 */
export function crossProcessTests(ctx: CrossProcessContext): void {
  const { ready, unique, test } = ctx

  test(
    'cross-process.migrate',
    'every process migrates the empty store at once, again when it is current, and all share it',
    async () => {
      const { processes, storage } = await ready()
      await processes.run(() => [{ method: 'migrate' }])
      const ns = unique('xmig')
      const inserted = await processes.run((p) => [
        { method: 'customers.insert', customer: customer(`${ns}c_${p}`) },
      ])
      expect(inserted.flat()).toEqual(inserted.map(() => true))
      for (let p = 0; p < processes.count; p++)
        expect(await storage.customers.get(`${ns}c_${p}`)).toEqual(customer(`${ns}c_${p}`))
    },
    T,
  )

  test(
    'cross-process.events.append-once',
    'processes racing the same keys and the meter’s creation store and count each key once',
    async () => {
      const { processes, storage } = await ready()
      const ns = unique('xevt')
      const keys = 400
      const events = Array.from({ length: keys }, (_, k) =>
        event(ns, `${ns}k${k}`, `${ns}c${k % 4}`, T0 + k * 1000),
      )
      const batches: PreparedEvent[][] = []
      for (let start = 0; start < keys; start += 50) batches.push(events.slice(start, start + 50))
      // Even processes go forward and race each other batch by batch; odd ones come the other way.
      const results = await processes.run((p) => [
        { method: 'meters.insert', meter: meter(ns, `${ns}calls`) },
        ...(p % 2 === 0 ? batches : [...batches].reverse()).map((batch) => ({
          method: 'events.append' as const,
          events: batch,
        })),
      ])
      expect(results.filter((r) => r[0] === true)).toHaveLength(1)
      const outcomes = results.flatMap((r) => r.slice(1) as AppendOutcome[][]).flat()
      const count = (status: AppendOutcome['status']) => outcomes.filter((o) => o.status === status).length
      expect([count('accepted'), count('duplicate')]).toEqual([keys, (processes.count - 1) * keys])
      let stored = 0
      let counted = 0
      for (let c = 0; c < 4; c++) {
        const customer_id = `${ns}c${c}`
        const log = await storage.events.list({ customer_id, limit: keys + 1 })
        expect(new Set(log.map((e) => e.idempotency_key)).size).toBe(log.length)
        stored += log.length
        const query = { meter: `${ns}calls`, customer_id, fromBucket: T0, toBucket: T0 + HOUR }
        counted += (await storage.meters.readRollups(query)).count
      }
      expect([stored, counted]).toEqual([keys, keys])
    },
    T,
  )

  test(
    'cross-process.meters.insert-once',
    'of processes inserting the same meter codes, one stores each code',
    async () => {
      const { processes, storage } = await ready()
      const ns = unique('xmtr')
      const codes = Array.from({ length: 6 }, (_, i) => `${ns}m${i}`)
      const results = await processes.run((p) =>
        rotate(codes, p).map((code) => ({
          method: 'meters.insert' as const,
          meter: { ...meter(ns, code), name: `p${p}` },
        })),
      )
      for (const code of codes) {
        const winners = results.flatMap((r, p) => (r[rotate(codes, p).indexOf(code)] ? [p] : []))
        expect(winners, code).toHaveLength(1)
        expect((await storage.meters.get(code))?.name).toBe(`p${winners[0]}`)
      }
      const listed = (await storage.meters.list()).map((m) => m.code).filter((c) => c.startsWith(ns))
      expect([...listed].sort()).toEqual(codes)
    },
    T,
  )

  test(
    'cross-process.events.closed-periods',
    'a period closed in one process is final: appends of the others commit before it or answer closed',
    async () => {
      const { processes, storage } = await ready()
      const ns = unique('xcls')
      const customer_id = `${ns}c`
      const mark = T0 + 10 * HOUR
      // Appenders go on until they are answered closed, or `max` appends when the close has to
      // wait for them (a single-writer store may serve their stream of writes first).
      const max = 400
      const limit = max * processes.count
      const results = await processes.run((p): StorageCall[] =>
        p === 0
          ? [
              { method: 'sleep', ms: 40 },
              { method: 'events.closePeriods', closes: [{ customer_id, before: mark }] },
              { method: 'events.list', query: { customer_id, limit } },
            ]
          : [
              {
                method: 'events.appendUntilClosed',
                event: event(ns, `${ns}p${p}_`, customer_id, T0 + HOUR),
                max,
              },
            ],
      )
      const storedAtClose = (results[0]![2] as unknown[]).length
      const appenders = results.slice(1).map((r) => r[0] as AppendOutcome[])
      let accepted = 0
      let closed = 0
      for (const outcomes of appenders) {
        const firstClosed = outcomes.findIndex((o) => o.status === 'closed')
        // Once closed, every later append of the same customer's earlier usage is closed too.
        if (firstClosed >= 0)
          expect(outcomes.slice(firstClosed).every((o) => o.status === 'closed')).toBe(true)
        accepted += outcomes.filter((o) => o.status === 'accepted').length
        closed += outcomes.filter((o) => o.status === 'closed').length
      }
      expect(accepted + closed).toBe(appenders.flat().length)
      expect(storedAtClose).toBe(accepted)
      // Once the close has resolved, every process is answered closed for the earlier usage.
      const late = await processes.run((p) => [
        { method: 'events.append', events: [event(ns, `${ns}late${p}`, customer_id, mark - 1)] },
      ])
      expect(late.flat(2)).toEqual(late.map(() => ({ status: 'closed', closed_before: mark })))
      expect(await storage.events.list({ customer_id, limit })).toHaveLength(accepted)
    },
    T,
  )

  crossRecordTests(ctx)
  crossNotificationTests(ctx)
  crossAllowanceTests(ctx)
}
