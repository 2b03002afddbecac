// Usage reads of one customer with 5,000,000 events over 30 days (SQLite): usage.get over random
// windows with millisecond edges anywhere, and invoices.preview of the period holding them all,
// against raw SQL aggregating the same events through an index on (customer_id, timestamp), with
// kobometer's pragmas. The target is p99 whatever the window.
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { sqliteStorage } from '../src/adapters/sqlite.js'
import { type Billing, createBilling, type EventInput } from '../src/index.js'
import { compare, defineSuite, measureLatencies, pickLatency, rescale } from './harness.js'
import { benchPlan } from './invoice-workload.js'
import { benchDir, openRawSqlite } from './sqlite-fixture.js'

interface State {
  remove: () => void
  billing: Billing
  raw: Database.Database
  from: number
  to: number
  /** Windows `[from, to)` with edges at random milliseconds inside the data. */
  windows: Array<[number, number]>
}

const DAY = 86_400_000

export default defineSuite<State>({
  name: 'usage-sqlite',
  setup: async (ctx) => {
    const n = ctx.quick ? 100_000 : 5_000_000
    const { dir, remove } = benchDir()
    const billing = await createBilling({ storage: sqliteStorage({ filename: join(dir, 'kobometer.db') }) })
    await billing.meters.create({
      code: 'tokens',
      event_name: 'api_call',
      aggregation: 'sum',
      property: 'tokens',
    })
    const raw = openRawSqlite(join(dir, 'raw.db'))
    raw.exec(`CREATE TABLE events (customer_id TEXT, timestamp INTEGER, tokens INTEGER);
      CREATE INDEX events_customer_time ON events (customer_id, timestamp)`)
    const insert = raw.prepare('INSERT INTO events VALUES (?, ?, ?)')
    // One busy customer: n events spread over 30 days ending now.
    const start = Date.now() - 30 * DAY
    const step = Math.floor((30 * DAY) / n)
    ctx.log(`usage-sqlite: ingesting ${n.toLocaleString()} events`)
    for (let i = 0; i < n; i += 5000) {
      const events: EventInput[] = []
      for (let j = i; j < i + 5000; j++) {
        events.push({
          event_name: 'api_call',
          customer_id: 'cus_busy',
          idempotency_key: `e${j}`,
          timestamp: start + j * step,
          properties: { tokens: (j % 97) + 1 },
        })
      }
      await billing.events.ingest({ events })
      raw.transaction(() => {
        for (const e of events)
          insert.run('cus_busy', e.timestamp, (e.properties as { tokens: number }).tokens)
      })()
    }
    // A subscription whose current period holds every event: what invoices.preview prices.
    await billing.meters.create({ code: 'calls', event_name: 'api_call', aggregation: 'count' })
    await billing.plans.create(benchPlan('busy'))
    await billing.customers.create({ id: 'cus_busy' })
    await billing.subscriptions.create({
      customer_id: 'cus_busy',
      plan_code: 'busy',
      start_at: start - 17 * 60_000 - 123,
    })
    // Random windows: a start anywhere in the 30 days, a length from a second to the rest.
    let seed = 42
    const random = () => {
      seed = (seed * 48_271) % 2_147_483_647
      return seed / 2_147_483_647
    }
    const windows: Array<[number, number]> = Array.from({ length: 500 }, () => {
      const from = start + Math.floor(random() * 30 * DAY)
      return [from, from + 1000 + Math.floor(random() * (start + 30 * DAY - from))]
    })
    // A window with edges inside an hour at both ends, covering every event.
    return {
      remove,
      billing,
      raw,
      windows,
      from: start - 17 * 60_000 - 123,
      to: Date.now() + 23 * 60_000 + 7,
    }
  },
  teardown: async (s) => {
    await s.billing.close()
    s.raw.close()
    s.remove()
  },
  cases: [
    {
      name: 'usage.get over random windows of 5,000,000 events',
      run: async (s) => {
        const stmt = s.raw.prepare(
          'SELECT sum(tokens) FROM events WHERE customer_id = ? AND timestamp >= ? AND timestamp < ?',
        )
        let k = 0
        let r = 0
        const [kobometer, baseline] = await measureLatencies(
          [
            () => {
              const [from, to] = s.windows[k++ % s.windows.length]!
              return s.billing.usage.get({ customer_id: 'cus_busy', meter: 'tokens', from, to })
            },
            () => {
              const [from, to] = s.windows[r++ % s.windows.length]!
              return stmt.get('cus_busy', from, to)
            },
          ],
          { iterations: [1000, 20] },
        )
        return (['p50', 'p99'] as const).map((stat) =>
          compare(
            `sqlite usage.get, random windows of 5M events (${stat})`,
            rescale(pickLatency(kobometer!, stat), 1e-3, 'ms'),
            rescale(pickLatency(baseline!, stat), 1e-3, 'ms'),
            stat === 'p99' ? { max: 3 } : undefined,
          ),
        )
      },
    },
    {
      name: 'invoices.preview over 5,000,000 events',
      run: async (s) => {
        const count = s.raw.prepare(
          'SELECT count(*) FROM events WHERE customer_id = ? AND timestamp >= ? AND timestamp < ?',
        )
        const sum = s.raw.prepare(
          'SELECT sum(tokens) FROM events WHERE customer_id = ? AND timestamp >= ? AND timestamp < ?',
        )
        // The raw driver's share of the same work: the three charges' aggregates over the events.
        const [kobometer, baseline] = await measureLatencies(
          [
            () => s.billing.invoices.preview({ customer_id: 'cus_busy' }),
            () => {
              count.get('cus_busy', s.from, s.to)
              sum.get('cus_busy', s.from, s.to)
              count.get('cus_busy', s.from, s.to)
            },
          ],
          { iterations: [400, 6] },
        )
        return (['p50', 'p99'] as const).map((stat) =>
          compare(
            `sqlite invoices.preview, 5M events in period (${stat})`,
            rescale(pickLatency(kobometer!, stat), 1e-3, 'ms'),
            rescale(pickLatency(baseline!, stat), 1e-3, 'ms'),
            stat === 'p99' ? { max: 3 } : undefined,
          ),
        )
      },
    },
  ],
})
