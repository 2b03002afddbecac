// Alerts and notifications: ingest with three alerts on every meter of each event against ingest
// without (SQLite batches; PostgreSQL 200 concurrent callers, when KOBOMETER_PG_URL is set), and
// delivery throughput from the SQLite outbox to an in-process handler.
import { join } from 'node:path'
import { postgresStorage } from '../src/adapters/postgres.js'
import { sqliteStorage } from '../src/adapters/sqlite.js'
import { type Billing, createBilling, type Storage } from '../src/index.js'
import { batchesSideBySide, entitlementStore } from './entitlements-workload.js'
import { compare, defineSuite, measureConcurrent, type Result } from './harness.js'
import { CUSTOMERS, sequence } from './ingest-workload.js'
import { freshSchema, PG_URL } from './pg-fixture.js'
import { benchDir } from './sqlite-fixture.js'

type State = ReturnType<typeof benchDir>

const INGEST_TARGET = { minRatio: 0.85 }
const ALERTS = 3

/** Batches of 1,000 events over 1,000 customers on SQLite, 3 alerts per meter vs none. */
async function alertedBatchIngest(dir: string, log: (m: string) => void): Promise<Result[]> {
  const store = (name: string, alerts: number) =>
    entitlementStore(sqliteStorage({ filename: join(dir, `${name}.db`) }), {
      limited: false,
      alerts,
      customers: CUSTOMERS,
      log,
    })
  const alerted = await store('alerted', ALERTS)
  const plain = await store('plain', 0)
  try {
    return [
      await batchesSideBySide(
        'sqlite batch ingest (1,000/call, 2 meters), 3 alerts on each meter, vs no alerts',
        [alerted, plain],
        INGEST_TARGET,
      ),
    ]
  } finally {
    await alerted.close()
    await plain.close()
  }
}

/** 200 concurrent single-event callers on PostgreSQL, 3 alerts per meter vs none (own schemas). */
async function alertedConcurrentIngest(log: (m: string) => void): Promise<Result[]> {
  const schemas = [await freshSchema('alerted'), await freshSchema('plain')]
  const stores: Billing[] = []
  try {
    for (const [i, { schema }] of schemas.entries()) {
      const storage = postgresStorage({ connectionString: PG_URL }, { schema })
      stores.push(
        await entitlementStore(storage, {
          limited: false,
          alerts: i === 0 ? ALERTS : 0,
          customers: CUSTOMERS,
          log,
        }),
      )
    }
    const [alerted, plain] = stores as [Billing, Billing]
    const [a, p] = [sequence(), sequence()]
    const [withAlerts, without] = await measureConcurrent(
      [
        () => alerted.events.ingest({ events: a.batch(1) }),
        () => plain.events.ingest({ events: p.batch(1) }),
      ],
      { callers: 200, ms: 2000, unit: 'events/s' },
    )
    return [
      compare(
        'postgres 200 concurrent single-event callers, 3 alerts on each meter, vs no alerts',
        withAlerts!,
        without,
        INGEST_TARGET,
      ),
    ]
  } finally {
    for (const s of stores) await s.close()
    for (const { drop } of schemas) await drop()
  }
}

/**
 * Notifications written to the SQLite outbox (100 customers), then delivered to a handler that
 * only counts them: notifications delivered per second, claim and settle included.
 */
async function deliveryThroughput(dir: string, quick: boolean, log: (m: string) => void): Promise<Result[]> {
  const total = quick ? 5_000 : 20_000
  const rounds: number[] = []
  for (let round = 0; round < (quick ? 1 : 3); round++) {
    const storage: Storage = sqliteStorage({ filename: join(dir, `outbox-${round}.db`) })
    let seen = 0
    const billing = await createBilling({
      storage,
      notifications: {
        handler: async () => {
          seen++
        },
      },
    })
    try {
      log(`    writing ${total.toLocaleString('en')} notifications`)
      for (let i = 0; i < total; i += 500) {
        const records = Array.from({ length: 500 }, (_, j) => ({
          id: `ntf_bench_${i + j}`,
          key: `bench:${i + j}`,
          type: 'invoice.paid' as const,
          customer_id: `cus_${(i + j) % 100}`,
          created_at: Date.now(),
          data: { invoice_id: `in_${i + j}`, amount_paid: 500_000, currency: 'NGN' },
        }))
        await storage.notifications.add(records)
      }
      const started = performance.now()
      while (seen < total) await billing.notifications.deliver()
      rounds.push(total / ((performance.now() - started) / 1000))
    } finally {
      await billing.close()
    }
  }
  rounds.sort((a, b) => a - b)
  const value = rounds[Math.floor(rounds.length / 2)]!
  return [
    compare(
      `sqlite delivery to an in-process handler (${total.toLocaleString('en')} notifications, 100 customers)`,
      { value, unit: 'notifications/s', min: rounds[0]!, max: rounds.at(-1)!, rounds: rounds.length },
      undefined,
      { min: 10_000 },
    ),
  ]
}

export default defineSuite<State>({
  name: 'alerts',
  setup: () => benchDir(),
  teardown: (s) => s.remove(),
  cases: [
    { name: 'ingest-alerted, sqlite batch', run: (s, ctx) => alertedBatchIngest(s.sub('batch'), ctx.log) },
    {
      name: 'ingest-alerted, postgres 200 concurrent',
      run: (_s, ctx) => {
        if (process.env.KOBOMETER_PG_URL !== undefined) return alertedConcurrentIngest(ctx.log)
        ctx.log('    skipped: KOBOMETER_PG_URL is not set')
        return []
      },
    },
    { name: 'delivery, sqlite', run: (s, ctx) => deliveryThroughput(s.sub('delivery'), ctx.quick, ctx.log) },
  ],
})
