// The dashboard bench's store: a SQLite file of many customers on a limited monthly plan, a closed
// December invoiced for each, and January's usage ingested through `billing.events.ingest` (so every
// table, rollup and allowance is exactly what production writes). Building 10M events takes minutes,
// so the file is built once under bench/.cache/ and reused while it exists; an interrupted build
// leaves only a `.partial` file, never a store that looks finished.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sqliteStorage } from '../src/adapters/sqlite.js'
import { createBilling, type EventInput } from '../src/index.js'
import { benchMeters } from './ingest-workload.js'

/** The pages' "now" for this store: late in January, ten days of usage after the 25th ahead. */
export const DASHBOARD_NOW = Date.UTC(2026, 0, 25, 12)
const PERIOD_START = Date.UTC(2026, 0, 1)
const SUBSCRIBED_AT = Date.UTC(2025, 11, 1)
/** The monthly allowance of `calls`: usage averages 1,000, so about a quarter of customers pass 80%. */
export const CALLS_LIMIT = 1800
const BATCH = 10_000

export interface DashboardStoreSize {
  customers: number
  events: number
}

/** Customer `i`'s id, zero-padded so ids sort as numbers. */
export const dashboardCustomer = (i: number): string => `cus_${String(i).padStart(5, '0')}`

/**
 * Each customer's share of the events: spread evenly from 0.1 to 1.9 times the mean, in a
 * scrambled order, so neighbouring ids differ and some customers pass the allowance.
 */
function cumulativeWeights(customers: number): Float64Array {
  const cumulative = new Float64Array(customers)
  let total = 0
  for (let c = 0; c < customers; c++) {
    total += 0.1 + 1.8 * (((c * 7919) % customers) / customers)
    cumulative[c] = total
  }
  return cumulative
}

/** The customer whose cumulative weight first reaches `target` (binary search). */
function pick(cumulative: Float64Array, target: number): number {
  let lo = 0
  let hi = cumulative.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((cumulative[mid] as number) < target) lo = mid + 1
    else hi = mid
  }
  return lo
}

async function build(filename: string, size: DashboardStoreSize, log: (m: string) => void): Promise<void> {
  const billing = await createBilling({ storage: sqliteStorage({ filename }), clock: () => DASHBOARD_NOW })
  try {
    for (const m of benchMeters) await billing.meters.create(m)
    await billing.plans.create({
      code: 'growth',
      name: 'Growth',
      currency: 'NGN',
      interval: 'month',
      fixed_amount: '500000',
      charges: [],
      limits: [{ meter: 'calls', quantity: CALLS_LIMIT, on_exceed: 'allow' }],
    })
    for (let c = 0; c < size.customers; c++) {
      const id = dashboardCustomer(c)
      await billing.customers.create({ id, name: `Customer ${c}`, email: `billing+${c}@example.com` })
      await billing.subscriptions.create({ customer_id: id, plan_code: 'growth', start_at: SUBSCRIBED_AT })
    }
    log(`    ${size.customers.toLocaleString('en')} customers subscribed; invoicing December`)
    await billing.invoices.run()
    const cumulative = cumulativeWeights(size.customers)
    const totalWeight = cumulative[size.customers - 1] as number
    const span = DASHBOARD_NOW - PERIOD_START - 60_000
    let seed = 42
    const started = performance.now()
    for (let n = 0; n < size.events; n += BATCH) {
      const events: EventInput[] = []
      for (let i = n; i < Math.min(size.events, n + BATCH); i++) {
        seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
        const c = pick(cumulative, (seed / 2_147_483_648) * totalWeight)
        events.push({
          event_name: 'api_call',
          customer_id: dashboardCustomer(c),
          idempotency_key: `e${i}`,
          timestamp: PERIOD_START + Math.floor((i / size.events) * span),
          properties: { tokens: (i % 997) + 1 },
        })
      }
      await billing.events.ingest({ events })
      if ((n / BATCH) % 100 === 99) {
        const rate = (n + BATCH) / ((performance.now() - started) / 1000)
        log(`    ${(n + BATCH).toLocaleString('en')} events (${Math.round(rate).toLocaleString('en')}/s)`)
      }
    }
  } finally {
    await billing.close()
  }
}

/**
 * The path of the store of this size, building it first unless a finished one is cached.
 * @example const file = await dashboardStore({ customers: 10_000, events: 10_000_000 }, console.log)
 */
export async function dashboardStore(size: DashboardStoreSize, log: (m: string) => void): Promise<string> {
  const cache = join(dirname(fileURLToPath(import.meta.url)), '.cache')
  const file = join(cache, `dashboard-v1-${size.customers}c-${size.events}e.db`)
  if (existsSync(file)) return file
  mkdirSync(cache, { recursive: true })
  const partial = `${file}.partial`
  for (const suffix of ['', '-wal', '-shm']) rmSync(partial + suffix, { force: true })
  log(`    building ${file} (once; reused while it exists)`)
  const started = performance.now()
  await build(partial, size, log)
  renameSync(partial, file)
  log(`    built in ${((performance.now() - started) / 1000).toFixed(0)} s`)
  return file
}
