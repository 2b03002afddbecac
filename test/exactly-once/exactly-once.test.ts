import { describe, expect, it } from 'vitest'
import { eventLog } from '../support/event-log.js'
import { sharedStore } from '../support/shared-store.js'
import { sqliteMergingTarget, sqlTargets } from '../support/targets.js'
import { BASE_TIME, CUSTOMERS, expectedTotals, nthEvent } from './events.js'
import { spawnWorker } from './spawn-worker.js'

const T = 240_000

// SQLite once more with a merge in nearly every append: a kill then lands inside one.
for (const target of [...sqlTargets, sqliteMergingTarget]) {
  describe.skipIf(target.skip)(
    `exactly once on ${target.name}${target.skip ? ` (skipped: ${target.skip})` : ''}`,
    () => {
      const store = sharedStore(target)

      async function meters(run: string): Promise<void> {
        await store
          .billing()
          .meters.create({ code: `${run}_calls`, event_name: `call_${run}`, aggregation: 'count' })
        await store.billing().meters.create({
          code: `${run}_tokens`,
          event_name: `call_${run}`,
          aggregation: 'sum',
          property: 'tokens',
        })
      }

      /** The all-customer series of a meter over the run's day, summed over its hours. */
      async function acrossCustomers(meter: string): Promise<number> {
        const { points } = await store
          .billing()
          .usage.series({ meter, from: BASE_TIME, to: BASE_TIME + 86_400_000 })
        return points.reduce((sum, point) => sum + point.quantity, 0)
      }

      /**
       * Usage summed over the run's customers, and the events actually in the log. The hourly
       * totals across customers, written in the same transactions, always agree with the sum.
       */
      async function totals(run: string): Promise<{ count: number; tokens: number; logged: number }> {
        let count = 0
        let tokens = 0
        let logged = 0
        for (let c = 0; c < CUSTOMERS; c++) {
          const q = { customer_id: `${run}_cus_${c}`, from: BASE_TIME, to: BASE_TIME + 86_400_000 }
          count += (await store.billing().usage.get({ ...q, meter: `${run}_calls` })).quantity
          tokens += (await store.billing().usage.get({ ...q, meter: `${run}_tokens` })).quantity
          logged += (await eventLog(store.billing(), q.customer_id)).length
        }
        expect(await acrossCustomers(`${run}_calls`)).toBe(count)
        expect(await acrossCustomers(`${run}_tokens`)).toBe(tokens)
        return { count, tokens, logged }
      }

      it(
        'replay: 50,000 events sent twice are each counted once; the replay is all duplicates',
        async () => {
          const run = 'replay'
          await meters(run)
          const n = 50_000
          for (const pass of [1, 2]) {
            for (let start = 0; start < n; start += 1000) {
              const events = Array.from({ length: 1000 }, (_, j) => nthEvent(run, start + j))
              const r = await store.billing().events.ingest({ events })
              expect(pass === 1 ? r.accepted : r.duplicates).toBe(1000)
            }
            const want = expectedTotals(n)
            expect(await totals(run)).toEqual({ ...want, logged: n })
          }
        },
        T,
      )

      it(
        'concurrency: 4 OS processes ingesting overlapping key ranges store and count each key once',
        async () => {
          const run = 'concurrent'
          await meters(run)
          // Process p sends [p·10,000, p·10,000 + 20,000): every key but the ends is sent twice, at once.
          const workers = [0, 1, 2, 3].map((p) =>
            spawnWorker({
              config: store.config(),
              run,
              from: p * 10_000,
              to: p * 10_000 + 20_000,
              batch: 500,
            }),
          )
          const summaries = await Promise.all(workers.map((w) => w.done))
          const distinct = 50_000
          expect(summaries.reduce((n, s) => n + (s?.accepted ?? 0), 0)).toBe(distinct)
          expect(summaries.reduce((n, s) => n + (s?.duplicates ?? 0), 0)).toBe(80_000 - distinct)
          expect(await totals(run)).toEqual({ ...expectedTotals(distinct), logged: distinct })
        },
        T,
      )

      it(
        'crash: a process killed with SIGKILL mid-ingest loses nothing acknowledged and, after a resend, counts nothing twice',
        async () => {
          const run = 'crash'
          await meters(run)
          const n = 30_000
          const batch = 500
          const victim = spawnWorker({ config: store.config(), run, from: 0, to: n, batch })
          await new Promise<void>((resolve) => {
            victim.onAck(() => {
              // Kill after a random number of acknowledged batches, usually inside a transaction.
              if (victim.acks.length >= 8 + Math.floor(Math.random() * 8)) {
                victim.child.kill('SIGKILL')
                resolve()
              }
            })
          })
          expect(await victim.done).toBeNull()
          const acknowledged = Math.max(...victim.acks) + batch
          expect(acknowledged).toBeLessThan(n)
          const before = await totals(run)
          // Everything acknowledged is durable; at most the in-flight batch more is there.
          expect(before.logged).toBeGreaterThanOrEqual(acknowledged)
          expect(before.logged).toBeLessThanOrEqual(acknowledged + batch)
          expect(before.count).toBe(before.logged)
          const resend = spawnWorker({ config: store.config(), run, from: acknowledged, to: n, batch })
          const summary = await resend.done
          expect(summary?.duplicates).toBe(before.logged - acknowledged)
          expect(await totals(run)).toEqual({ ...expectedTotals(n), logged: n })
        },
        T,
      )
    },
  )
}
