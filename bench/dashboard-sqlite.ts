// The dashboard's storage queries on SQLite at 10,000 customers and a month of hourly rollups (about
// 10M events' worth: 3 in 4 customer-hours have usage), each timed over repeated runs. The rows are
// written straight into kobometer's tables (not through appends) to build the month in seconds.
// Run: npx tsx bench/dashboard-sqlite.ts [--customers <n>]
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { sqliteStorage } from '../src/adapters/sqlite.js'
import { customerSearchText } from '../src/core/customers/search-text.js'
import { allowanceFill } from '../src/core/entitlements/allowance-fill.js'
import { shardHash } from '../src/core/invoices/run-shard.js'
import { compileMeterEffects } from '../src/core/meters/meter-effects.js'
import type { Storage } from '../src/core/ports/index.js'
import { customer, draft } from '../src/testing/ports/port-fixtures.js'
import { benchDir, openRawSqlite } from './sqlite-fixture.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const MONTH_START = Date.UTC(2026, 0, 1)
const HOURS = 31 * 24
const { values } = parseArgs({ options: { customers: { type: 'string', default: '10000' } } })
const CUSTOMERS = Number(values.customers)
const id = (n: number) => `cus_${String(n).padStart(5, '0')}`

// A deterministic pseudo-random sequence: the same data on every run.
let seed = 42
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
  return seed / 2_147_483_648
}

function fill(dir: string): void {
  const db = openRawSqlite(join(dir, 'kobometer.db'))
  const rollup = db.prepare(
    'INSERT INTO kobometer_rollups (meter, customer_id, bucket, count, sum) VALUES (?, ?, ?, ?, ?)',
  )
  const person = db.prepare('INSERT INTO kobometer_customers (id, doc, search) VALUES (?, ?, ?)')
  const allowance = db.prepare(
    'INSERT INTO kobometer_allowances (customer_id, meter, period_start, period_end, next_expiry, doc) VALUES (?, ?, ?, ?, NULL, ?)',
  )
  const usage = db.prepare(
    'INSERT INTO kobometer_allowance_usage (customer_id, meter, period_start, period_end, used, revision, fill) VALUES (?, ?, ?, ?, ?, ?, ?)',
  )
  const invoice = db.prepare(
    'INSERT INTO kobometer_invoices (id, subscription_id, period_end, customer_id, status, doc, finalized_at, currency, total, shard_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  )
  db.transaction(() => {
    for (let c = 0; c < CUSTOMERS; c++) {
      const cid = id(c)
      const who = { ...customer(cid, `Customer ${c}`), email: `billing+${c}@example.com` }
      person.run(cid, JSON.stringify(who), customerSearchText(who))
      for (let h = 0; h < HOURS; h++) {
        if (random() >= 0.75) continue
        const n = 1 + Math.floor(random() * 3)
        rollup.run('calls', cid, MONTH_START + h * HOUR, n, null)
        rollup.run('tokens', cid, MONTH_START + h * HOUR, n, String(n * 137 + Math.floor(random() * 1000)))
      }
      for (let p = 0; p < 6; p++) {
        const start = MONTH_START - p * 31 * DAY
        const a = {
          customer_id: cid,
          meter: 'calls',
          period_start: start,
          period_end: start + 31 * DAY,
          limit: '1000',
          enforce: true,
          granted: '0',
          used: String(Math.floor(random() * 1100)),
          reserved: '0',
          next_expiry: null,
          revision: 1,
        }
        allowance.run(cid, 'calls', a.period_start, a.period_end, JSON.stringify(a))
        usage.run(cid, 'calls', a.period_start, a.period_end, a.used, a.revision, allowanceFill(a))
        const i = { ...draft(`in_${c}_${p}`, `sub_${c}`, new Date(start + 31 * DAY).toISOString(), cid) }
        const at = start + 31 * DAY + HOUR
        const status = random() < 0.9 ? 'paid' : 'open'
        const hash = shardHash(i.subscription_id)
        invoice.run(
          i.id,
          i.subscription_id,
          i.period_end,
          cid,
          status,
          JSON.stringify(i),
          at,
          'NGN',
          1000,
          hash,
        )
      }
    }
  })()
  db.pragma('optimize')
  db.close()
}

async function time(label: string, run: () => Promise<unknown>, rounds = 20): Promise<void> {
  await run()
  const took: number[] = []
  for (let i = 0; i < rounds; i++) {
    const start = performance.now()
    await run()
    took.push(performance.now() - start)
  }
  took.sort((a, b) => a - b)
  const median = took[Math.floor(rounds / 2)]!.toFixed(2)
  const worst = took[rounds - 1]!.toFixed(2)
  process.stdout.write(`${label.padEnd(58)} median ${median.padStart(9)} ms   max ${worst.padStart(9)} ms\n`)
}

async function measure(storage: Storage): Promise<void> {
  const month = { from: MONTH_START, to: MONTH_START + HOURS * HOUR }
  const day = { from: MONTH_START + 10 * DAY, to: MONTH_START + 11 * DAY }
  const meters = storage.meters
  await time('usageSeries, one customer, a month (744 h)', () =>
    meters.usageSeries({ meter: 'tokens', aggregation: 'sum', customer_id: id(4242), ...month }),
  )
  await time('usageSeries, all customers (count), a day', () =>
    meters.usageSeries({ meter: 'calls', aggregation: 'count', ...day }),
  )
  await time('usageSeries, all customers (sum), a day', () =>
    meters.usageSeries({ meter: 'tokens', aggregation: 'sum', ...day }),
  )
  await time(
    'usageSeries, all customers (count), a month',
    () => meters.usageSeries({ meter: 'calls', aggregation: 'count', ...month }),
    3,
  )
  await time('topCustomers (count), a day, 10', () =>
    meters.topCustomers({ meter: 'calls', aggregation: 'count', ...day, limit: 10 }),
  )
  await time(
    'topCustomers (count), a month, 10',
    () => meters.topCustomers({ meter: 'calls', aggregation: 'count', ...month, limit: 10 }),
    3,
  )
  await time(
    'topCustomers (sum), a month, 10',
    () => meters.topCustomers({ meter: 'tokens', aggregation: 'sum', ...month, limit: 10 }),
    3,
  )
  await time('customers.search, an id prefix, 50', () =>
    storage.customers.search({ query: 'cus_0424', limit: 50 }),
  )
  await time('customers.search, common (example.com), 50', () =>
    storage.customers.search({ query: 'example.com', limit: 50 }),
  )
  await time('customers.search, no match (a full scan)', () =>
    storage.customers.search({ query: 'nobody-has-this', limit: 50 }),
  )
  await time('entitlements.nearLimit, 80%, 50', () =>
    storage.entitlements.nearLimit({ at: MONTH_START + 10 * DAY, ratio: 0.8, limit: 50 }),
  )
  await time('invoices.totals, a month', () =>
    storage.invoices.totals({ from: MONTH_START, to: MONTH_START + 31 * DAY }),
  )
}

const { dir, remove } = benchDir()
try {
  const storage = sqliteStorage({ filename: join(dir, 'kobometer.db') })
  await storage.migrate()
  for (const [code, property] of [
    ['calls', undefined],
    ['tokens', 'tokens'],
  ] as const) {
    await storage.meters.insert(
      {
        code,
        name: null,
        event_name: 'api_call',
        aggregation: property === undefined ? 'count' : 'sum',
        property: property ?? null,
        filters: null,
        created_at: new Date(MONTH_START).toISOString(),
      },
      compileMeterEffects,
    )
  }
  const started = performance.now()
  fill(dir)
  process.stdout.write(
    `${CUSTOMERS} customers written in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  )
  await measure(storage)
  await storage.close()
} finally {
  remove()
}
