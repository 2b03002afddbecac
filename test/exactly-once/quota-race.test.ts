import { describe, expect, it } from 'vitest'
import { notificationId } from '../../src/core/notifications/notify.js'
import { createBilling, type Notification } from '../../src/index.js'
import { eventLog } from '../support/event-log.js'
import { sharedStore } from '../support/shared-store.js'
import { openStorage, sqlTargets } from '../support/targets.js'
import type { QuotaTask } from './quota-worker.js'
import { spawnWorker } from './spawn-worker.js'

const T = 300_000
const LIMIT = 10_000

interface QuotaSummary {
  accepted: number
  duplicates: number
  refused: number
  other: number
  acceptedKeys: string[]
}

for (const target of sqlTargets) {
  describe.skipIf(target.skip)(
    `a reject limit across OS processes on ${target.name}${target.skip ? ` (skipped: ${target.skip})` : ''}`,
    () => {
      const store = sharedStore(target)

      /**
       * A customer on a plan allowing LIMIT calls a month, with an alert at 80% and 100% of it:
       * processes racing across the thresholds must write each notification once.
       */
      async function limitedCustomer(run: string): Promise<string> {
        await store
          .billing()
          .meters.create({ code: `${run}_calls`, event_name: `call_${run}`, aggregation: 'count' })
        await store.billing().plans.create({
          code: `${run}_plan`,
          name: 'Capped',
          currency: 'NGN',
          interval: 'month',
          limits: [{ meter: `${run}_calls`, quantity: LIMIT, on_exceed: 'reject' }],
        })
        await store.billing().alerts.create({
          meter: `${run}_calls`,
          plan_code: `${run}_plan`,
          thresholds: [{ percent: 80 }, { percent: 100 }],
        })
        const customer = `${run}_cus`
        await store.billing().customers.create({ id: customer })
        await store.billing().subscriptions.create({ customer_id: customer, plan_code: `${run}_plan` })
        return customer
      }

      /** What a fresh instance reads from the store: the log, the usage, and the allowance. */
      async function stored(run: string, customer: string) {
        const fresh = await createBilling({ storage: await openStorage(store.config()), migrate: false })
        try {
          const check = await fresh.entitlements.check({ customer_id: customer, meter: `${run}_calls` })
          const usage = await fresh.usage.get({
            customer_id: customer,
            meter: `${run}_calls`,
            from: check.period_start!,
            to: check.period_end!,
          })
          const logged = (await eventLog(fresh, customer)).length
          const notes = await fresh.notifications.list({ customer_id: customer, limit: 100 })
          return {
            logged,
            notifications: notes.data.map((n) => {
              const threshold = (n.data as { threshold?: { percent: number } }).threshold
              return threshold === undefined ? n.type : `${n.type} ${threshold.percent}%`
            }),
            usage: usage.quantity,
            used: check.used,
            allowed: check.allowed,
            reason: check.reason,
          }
        } finally {
          await fresh.close()
        }
      }

      const exactlyAtLimit = {
        logged: LIMIT,
        notifications: [
          'usage.threshold_reached 80%',
          'usage.threshold_reached 100%',
          'entitlement.exhausted',
        ],
        usage: LIMIT,
        used: LIMIT,
        allowed: false,
        reason: 'limit_reached',
      }

      it(
        '4 processes racing single events and batches over 13,000 keys accept exactly 10,000 and notify each threshold once',
        async () => {
          const run = 'race'
          const customer = await limitedCustomer(run)
          // Overlapping ranges: keys sent by two processes at once are accepted once or refused.
          const tasks: Array<Omit<QuotaTask, 'config' | 'run' | 'customer'>> = [
            { from: 0, to: 4000, batch: 1 },
            { from: 3000, to: 7000, batch: 1 },
            { from: 6000, to: 10_000, batch: 100 },
            { from: 9000, to: 13_000, batch: 250 },
          ]
          const workers = tasks.map((t) =>
            spawnWorker<QuotaSummary>({ config: store.config(), run, customer, ...t }, 'quota-worker.ts'),
          )
          const summaries = (await Promise.all(workers.map((w) => w.done))) as QuotaSummary[]
          const keys = summaries.flatMap((s) => s.acceptedKeys)
          expect(keys.length).toBe(LIMIT)
          expect(new Set(keys).size).toBe(LIMIT)
          const total = (f: keyof Omit<QuotaSummary, 'acceptedKeys'>) =>
            summaries.reduce((n, s) => n + s[f], 0)
          expect(total('other')).toBe(0)
          expect(total('accepted') + total('duplicates') + total('refused')).toBe(16_000)
          expect(await stored(run, customer)).toEqual(exactlyAtLimit)
        },
        T,
      )

      it(
        'a process killed with SIGKILL right after committing the crossing event: the alert is delivered after restart, once, with its id',
        async () => {
          const run = 'crash'
          const customer = await limitedCustomer(run)
          // 8 batches of 1,000: the 8th commits the 80% crossing, and the process dies at once.
          const worker = spawnWorker<QuotaSummary>(
            { config: store.config(), run, customer, from: 0, to: 9000, batch: 1000 },
            'quota-worker.ts',
          )
          worker.onAck((start) => {
            if (start === 7000) worker.child.kill('SIGKILL')
          })
          expect(await worker.done).toBeNull()
          const seen: Notification[] = []
          const restarted = await createBilling({
            storage: await openStorage(store.config()),
            migrate: false,
            notifications: { handler: (n) => void seen.push(n) },
          })
          try {
            // The store is shared with the other tests: deliver everything, look at this customer's.
            await restarted.notifications.deliver()
            expect(await restarted.notifications.deliver()).toMatchObject({ delivered: 0 })
            const mine = seen.filter((n) => n.customer_id === customer)
            const [alert] = (await restarted.alerts.list()).filter((a) => a.plan_code === `${run}_plan`)
            const period = mine[0]!.data.period_start as string
            expect(mine.map((n) => n.type)).toEqual(['usage.threshold_reached'])
            expect(mine[0]!.data).toMatchObject({ threshold: { percent: 80 }, used: '8000' })
            expect(mine[0]!.id).toBe(
              notificationId(`usage.threshold_reached:${alert!.id}:0:${customer}:${Date.parse(period)}`),
            )
          } finally {
            await restarted.close()
          }
        },
        T,
      )

      it(
        'processes killed with SIGKILL mid-ingest and restarted still leave exactly 10,000',
        async () => {
          const run = 'killed'
          const customer = await limitedCustomer(run)
          const task = (p: number) => ({
            config: store.config(),
            run,
            customer,
            from: p * 2500,
            to: p * 2500 + 5000,
            batch: 50,
          })
          const workers = [0, 1, 2, 3].map((p) => spawnWorker<QuotaSummary>(task(p), 'quota-worker.ts'))
          // Kill two of them after a few acknowledged batches, usually inside a transaction.
          const killed = await Promise.all(
            [1, 3].map(
              (p) =>
                new Promise<number>((resolve) => {
                  const w = workers[p]!
                  const after = 5 + Math.floor(Math.random() * 10)
                  w.onAck(() => {
                    if (w.acks.length === after) {
                      w.child.kill('SIGKILL')
                      resolve(p)
                    }
                  })
                }),
            ),
          )
          for (const p of killed) expect(await workers[p]!.done).toBeNull()
          const restarted = killed.map((p) => spawnWorker<QuotaSummary>(task(p), 'quota-worker.ts'))
          const finished = await Promise.all([
            workers[0]!.done,
            workers[2]!.done,
            ...restarted.map((w) => w.done),
          ])
          expect(finished.reduce((n, s) => n + (s?.other ?? 0), 0)).toBe(0)
          expect(await stored(run, customer)).toEqual(exactlyAtLimit)
        },
        T,
      )
    },
  )
}
