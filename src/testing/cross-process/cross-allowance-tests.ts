import { expect } from 'vitest'
import { compileMeterEffects } from '../../core/meters/meter-effects.js'
import type { AllowanceOpening, AllowanceRecord, AppendOutcome } from '../../core/ports/index.js'
import { event, HOUR, meter, T0 } from '../ports/port-fixtures.js'
import type { CrossProcessContext } from './cross-process-suite.js'
import { range } from './key-order.js'
import type { StorageCall } from './storage-calls.js'

const T = 120_000
const DAY = 24 * HOUR
const PERIOD = 31 * DAY
/** Events each process appends per customer, in two calls around its open of the next period. */
const EVENTS = 8

/**
 * The cross-process tests of allowances: a running customer's next period, opened while other
 * processes append into it, counts every event once, whichever transaction commits first.
 *
 * @example
 * crossAllowanceTests(ctx)
 */
export function crossAllowanceTests({ ready, unique, test }: CrossProcessContext): void {
  test(
    'cross-process.allowances.open-next-period',
    'processes opening customers’ next period while others append into it count each event once',
    async () => {
      const { processes, storage } = await ready()
      const ns = unique('xalw')
      const code = `${ns}calls`
      const customers = range(0, 12).map((k) => `${ns}c${String(k).padStart(2, '0')}`)
      const next = T0 + PERIOD
      const opening = (customer_id: string, period_start: number): AllowanceOpening => ({
        customer_id,
        meter: code,
        period_start,
        period_end: period_start + PERIOD,
        limit: '100000',
        enforce: true,
      })
      await storage.meters.insert(meter(ns, code), compileMeterEffects)
      await storage.entitlements.open(
        customers.map((c) => opening(c, T0)),
        compileMeterEffects,
        T0,
      )
      // Every process walks the customers in one order, so they meet on each: even processes append
      // half their events, open the next period, append the rest; odd ones open first. Keys are the
      // process's own, so every event is new.
      const appendOf = (p: number, c: string, from: number): StorageCall => ({
        method: 'events.append',
        events: range(from, EVENTS / 2).map((i) => event(ns, `${c}_p${p}_${i}`, c, next + HOUR + i)),
      })
      const openOf = (c: string): StorageCall => ({
        method: 'entitlements.open',
        openings: [opening(c, next)],
        now: next,
      })
      const results = await processes.run((p) =>
        customers.flatMap((c): StorageCall[] =>
          p % 2 === 0
            ? [appendOf(p, c, 0), openOf(c), appendOf(p, c, EVENTS / 2)]
            : [openOf(c), appendOf(p, c, 0), appendOf(p, c, EVENTS / 2)],
        ),
      )
      for (const [p, answers] of results.entries()) {
        for (const [i, answer] of answers.entries()) {
          if (i % 3 === (p % 2 === 0 ? 1 : 0)) {
            expect((answer as AllowanceRecord[])[0]?.period_start).toBe(next)
          } else {
            const statuses = (answer as AppendOutcome[]).map((o) => o.status)
            expect(statuses).toEqual(Array(EVENTS / 2).fill('accepted'))
          }
        }
      }
      const expected = processes.count * EVENTS
      const read = await storage.entitlements.read(
        customers.map((customer_id) => ({ customer_id, meter: code })),
        next,
      )
      const used = read.map((a) => [a.customer_id, a.used]).sort(([a], [b]) => (a! < b! ? -1 : 1))
      expect(used).toEqual(customers.map((c) => [c, String(expected)]))
      for (const customer_id of customers) {
        const query = { meter: code, customer_id, fromBucket: next, toBucket: next + DAY }
        expect((await storage.meters.readRollups(query)).count).toBe(expected)
      }
    },
    T,
  )
}
