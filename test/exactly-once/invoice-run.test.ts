import { type ChildProcess, spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Billing, createBilling, type Invoice } from '../../src/index.js'
import { openStorage, type StoreConfig, sqlTargets } from '../support/targets.js'
import type { InvoiceTask } from './invoice-worker.js'

const workerPath = join(dirname(fileURLToPath(import.meta.url)), 'invoice-worker.ts')
const JAN = Date.UTC(2027, 0, 1)
const FEB = Date.UTC(2027, 1, 1)
const MAR = Date.UTC(2027, 2, 1)
const T = 300_000

interface WorkerSummary {
  created: number
  finalized: number
  failed: number
}

interface Running {
  child: ChildProcess
  started: Promise<void>
  done: Promise<WorkerSummary | null>
}

function spawnInvoicer(task: InvoiceTask): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', workerPath, JSON.stringify(task)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  })
  let stdout = ''
  let stderr = ''
  let markStarted: () => void = () => {}
  const started = new Promise<void>((resolve) => {
    markStarted = resolve
  })
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    if (stdout.includes('started\n')) markStarted()
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const done = new Promise<WorkerSummary | null>((resolve, reject) => {
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') return resolve(null)
      if (code !== 0) return reject(new Error(`invoice worker exited ${code}: ${stderr}`))
      const last = stdout.trim().split('\n').pop() ?? '{}'
      resolve(JSON.parse(last))
    })
  })
  return { child, started, done }
}

async function allInvoices(billing: Billing): Promise<Invoice[]> {
  const out: Invoice[] = []
  let cursor: string | undefined
  do {
    const page = await billing.invoices.list({ limit: 1000, ...(cursor ? { cursor } : {}) })
    out.push(...page.data)
    cursor = page.next_cursor ?? undefined
  } while (cursor)
  return out
}

/** Exactly one invoice per subscription period, numbered 1..n without a gap, each total right. */
function expectExactlyOnce(
  invoices: Invoice[],
  subscriptions: string[],
  periods: number,
  usage: (i: number) => number,
) {
  expect(invoices).toHaveLength(subscriptions.length * periods)
  const keys = new Set(invoices.map((i) => `${i.subscription_id}|${i.period_end}`))
  expect(keys.size).toBe(invoices.length)
  expect(invoices.every((i) => i.status === 'open')).toBe(true)
  const numbers = invoices.map((i) => Number(i.number?.slice(4))).sort((a, b) => a - b)
  expect(numbers).toEqual(Array.from({ length: invoices.length }, (_, k) => k + numbers[0]!))
  subscriptions.forEach((id, index) => {
    const cycle = invoices.find((i) => i.subscription_id === id && i.billing_reason === 'subscription_cycle')
    expect(cycle?.total).toBe(usage(index) * 50 + 100_000)
  })
}

for (const target of sqlTargets) {
  describe.skipIf(target.skip)(
    `invoices.run exactly once on ${target.name}${target.skip ? ` (skipped: ${target.skip})` : ''}`,
    () => {
      let config: StoreConfig
      let destroy: () => Promise<void>
      let billing: Billing
      let now = JAN

      beforeAll(async () => {
        const store = await target.fresh()
        config = store.config
        destroy = store.destroy
        billing = await createBilling({ storage: await openStorage(config), clock: () => now })
      }, 120_000)
      afterAll(async () => {
        await billing?.close()
        await destroy?.()
      }, 120_000)

      /**
       * `count` customers on one monthly plan from Jan 1, customer i with i % 7 + 1 calls in January.
       * The plan also prices tokens at ₦10 billion each; customer `overflowing` uses 100,000 of them,
       * an amount no invoice can carry.
       */
      async function subscribe(run: string, count: number, overflowing?: number): Promise<string[]> {
        now = JAN
        await billing.meters.create({ code: `${run}_calls`, event_name: `${run}_call`, aggregation: 'count' })
        await billing.meters.create({
          code: `${run}_tokens`,
          event_name: `${run}_tok`,
          aggregation: 'sum',
          property: 'tokens',
        })
        await billing.plans.create({
          code: `${run}_plan`,
          name: 'Plan',
          currency: 'NGN',
          interval: 'month',
          fixed_amount: '100000',
          charges: [
            { meter: `${run}_calls`, model: 'per_unit', unit_amount: '50' },
            { meter: `${run}_tokens`, model: 'per_unit', unit_amount: '1000000000000' },
          ],
        })
        const ids: string[] = []
        const events = []
        for (let i = 0; i < count; i++) {
          await billing.customers.create({ id: `${run}_cus_${i}` })
          ids.push(
            (await billing.subscriptions.create({ customer_id: `${run}_cus_${i}`, plan_code: `${run}_plan` }))
              .id,
          )
          for (let k = 0; k <= i % 7; k++) {
            events.push({
              event_name: `${run}_call`,
              customer_id: `${run}_cus_${i}`,
              idempotency_key: `${run}_${i}_${k}`,
              timestamp: JAN + 3_600_000 * (k + 1),
            })
          }
          if (i === overflowing) {
            events.push({
              event_name: `${run}_tok`,
              customer_id: `${run}_cus_${i}`,
              idempotency_key: `${run}_${i}_tokens`,
              timestamp: JAN + 3_600_000,
              properties: { tokens: 100_000 },
            })
          }
        }
        now = FEB
        await billing.events.ingest({ events })
        return ids
      }

      it(
        '4 processes running invoices.run at the same moment: one invoice per period, gapless numbers',
        async () => {
          const ids = await subscribe('race', 40)
          const startAt = Date.now() + 4000
          const workers = Array.from({ length: 4 }, () =>
            spawnInvoicer({ config, now: FEB + 2 * 3_600_000, startAt, runs: 2 }),
          )
          const results = await Promise.all(workers.map((w) => w.done))
          const invoices = (await allInvoices(billing)).filter((i) => ids.includes(i.subscription_id))
          expectExactlyOnce(invoices, ids, 2, (i) => (i % 7) + 1)
          expect(results.reduce((n, r) => n + (r?.created ?? 0), 0)).toBe(80)
          expect(results.reduce((n, r) => n + (r?.finalized ?? 0), 0)).toBe(80)
        },
        T,
      )

      it(
        '3 processes on shards 0, 1 and 2 of 3 and one unsharded: one invoice per period, gapless numbers',
        async () => {
          const ids = await subscribe('shards', 60)
          const startAt = Date.now() + 4000
          const at = FEB + 2 * 3_600_000
          const workers = [
            ...[0, 1, 2].map((index) =>
              spawnInvoicer({ config, now: at, startAt, runs: 1, shard: { index, count: 3 } }),
            ),
            spawnInvoicer({ config, now: at, startAt, runs: 1 }),
          ]
          const results = await Promise.all(workers.map((w) => w.done))
          const invoices = (await allInvoices(billing)).filter((i) => ids.includes(i.subscription_id))
          expectExactlyOnce(invoices, ids, 2, (i) => (i % 7) + 1)
          expect(results.reduce((n, r) => n + (r?.created ?? 0), 0)).toBe(120)
          expect(results.reduce((n, r) => n + (r?.finalized ?? 0), 0)).toBe(120)
        },
        T,
      )

      it(
        '4 processes running invoices.run with one customer whose usage overflows: every other invoice exactly once, the one reported by each run',
        async () => {
          const ids = await subscribe('overflow', 20, 7)
          const bad = ids[7]!
          const startAt = Date.now() + 4000
          const workers = Array.from({ length: 4 }, () =>
            spawnInvoicer({ config, now: FEB + 2 * 3_600_000, startAt, runs: 2 }),
          )
          const results = await Promise.all(workers.map((w) => w.done))
          const invoices = (await allInvoices(billing)).filter((i) => ids.includes(i.subscription_id))
          // Every subscription's first invoice, and a cycle invoice for all but the overflowing one.
          expect(invoices).toHaveLength(39)
          expect(new Set(invoices.map((i) => `${i.subscription_id}|${i.period_end}`)).size).toBe(39)
          expect(invoices.every((i) => i.status === 'open')).toBe(true)
          const numbers = invoices.map((i) => Number(i.number?.slice(4))).sort((a, b) => a - b)
          expect(numbers).toEqual(Array.from({ length: 39 }, (_, k) => k + numbers[0]!))
          ids.forEach((id, i) => {
            if (id === bad) return
            const cycle = invoices.find(
              (x) => x.subscription_id === id && x.billing_reason === 'subscription_cycle',
            )
            expect(cycle?.total).toBe(((i % 7) + 1) * 50 + 100_000)
          })
          expect(invoices.filter((i) => i.subscription_id === bad).map((i) => i.billing_reason)).toEqual([
            'subscription_create',
          ])
          expect(results.reduce((n, r) => n + (r?.created ?? 0), 0)).toBe(39)
          expect(results.map((r) => r?.failed)).toEqual([2, 2, 2, 2])
          now = FEB + 3 * 3_600_000
          const again = await billing.invoices.run()
          expect(again.failed.map((f) => [f.subscription_id, f.code])).toEqual([[bad, 'AMOUNT_OVERFLOW']])
          expect(again.created).toEqual([])
        },
        T,
      )

      it(
        'a process killed with SIGKILL mid-run leaves nothing half-written that the next run does not finish',
        async () => {
          const before = (await allInvoices(billing)).length
          const ids = await subscribe('crash', 400)
          const victim = spawnInvoicer({ config, now: FEB + 2 * 3_600_000, startAt: 0, runs: 1 })
          await victim.started
          // Kill it as soon as its first transactions are visible: mid-run, not before or after.
          while ((await allInvoices(billing)).length === before) await new Promise((r) => setTimeout(r, 2))
          victim.child.kill('SIGKILL')
          await victim.done
          const partial = (await allInvoices(billing)).length - before
          console.log(`${target.name}: the killed run had created ${partial} of 800 invoices`)
          const rescuer = spawnInvoicer({ config, now: FEB + 2 * 3_600_000, startAt: 0, runs: 1 })
          await rescuer.done
          const invoices = (await allInvoices(billing)).filter((i) => ids.includes(i.subscription_id))
          // The next month's run continues from a clean state too.
          expect(partial).toBeLessThanOrEqual(800)
          const all = await allInvoices(billing)
          const numbered = all.map((i) => Number(i.number?.slice(4))).sort((a, b) => a - b)
          expect(numbered).toEqual(Array.from({ length: all.length }, (_, k) => k + 1))
          expectExactlyOnce(invoices, ids, 2, (i) => (i % 7) + 1)
          now = MAR + 2 * 3_600_000
          const march = await billing.invoices.run()
          expect(march.finalized.filter((i) => ids.includes(i.subscription_id))).toHaveLength(400)
        },
        T,
      )
    },
  )
}
