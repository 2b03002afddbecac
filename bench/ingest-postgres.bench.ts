// PostgreSQL ingestion: kobometer against raw pg inserting the same rows (one multi-row
// INSERT … ON CONFLICT DO NOTHING per batch into a table with a unique key), in the same run.
import pg from 'pg'
import { postgresStorage } from '../src/adapters/postgres.js'
import { type Billing, createBilling } from '../src/index.js'
import { compare, defineSuite, measureThroughput } from './harness.js'
import { benchMeters, rawRow, sequence } from './ingest-workload.js'
import { concurrentThroughput, freshSchema, PG_URL } from './pg-fixture.js'

interface State {
  billing: Billing
  pool: pg.Pool
  drop: () => Promise<void>
  table: string
}

export default defineSuite<State>({
  name: 'ingest-postgres',
  setup: async () => {
    const { schema, drop } = await freshSchema()
    const billing = await createBilling({
      storage: postgresStorage({ connectionString: PG_URL }, { schema }),
    })
    for (const m of benchMeters) await billing.meters.create(m)
    const pool = new pg.Pool({ connectionString: PG_URL, max: 8 })
    const table = `"${schema}".raw_events`
    await pool.query(`CREATE TABLE ${table} (seq BIGSERIAL PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE,
      customer_id TEXT NOT NULL, event_name TEXT NOT NULL, timestamp BIGINT NOT NULL, properties TEXT NOT NULL,
      payload_hash TEXT NOT NULL, received_at BIGINT NOT NULL)`)
    return { billing, pool, drop, table }
  },
  teardown: async (s) => {
    await s.billing.close()
    await s.pool.end()
    await s.drop()
  },
  cases: [
    {
      name: 'batch ingest',
      run: async (s) => {
        const k = sequence('kb', Date.now)
        const r = sequence('raw', Date.now)
        const opts = { opsPerCall: 1000, unit: 'events/s', minMs: 2000, rounds: 3 }
        const kobometer = await measureThroughput(
          () => s.billing.events.ingest({ events: k.batch(1000) }),
          opts,
        )
        const values = Array.from({ length: 1000 }, (_, i) => {
          const b = i * 7
          return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7})`
        }).join(', ')
        const sql = `INSERT INTO ${s.table} (idempotency_key, customer_id, event_name, timestamp, properties, payload_hash, received_at) VALUES ${values} ON CONFLICT (idempotency_key) DO NOTHING`
        const baseline = await measureThroughput(
          () =>
            s.pool.query(
              sql,
              r.batch(1000).flatMap((e) => rawRow(e, Date.now())),
            ),
          opts,
        )
        return compare('postgres batch ingest (1,000/call, 2 meters)', kobometer, baseline, { minRatio: 0.5 })
      },
    },
    {
      name: '200 concurrent single-event callers',
      run: async (s) => {
        const k = sequence('kbc', Date.now)
        const value = await concurrentThroughput(200, 4000, () =>
          s.billing.events.ingest({ events: k.batch(1) }),
        )
        const r = sequence('rawc', Date.now)
        const one = `INSERT INTO ${s.table} (idempotency_key, customer_id, event_name, timestamp, properties, payload_hash, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (idempotency_key) DO NOTHING`
        const baseline = await concurrentThroughput(200, 4000, () =>
          s.pool.query(one, rawRow(r.batch(1)[0]!, Date.now())),
        )
        return compare(
          'postgres 200 concurrent single-event callers',
          { value, unit: 'events/s' },
          { value: baseline, unit: 'events/s' },
          { min: 10_000 },
        )
      },
    },
  ],
})
