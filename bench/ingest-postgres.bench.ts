// PostgreSQL ingestion: kobometer against raw pg inserting the same rows (one multi-row
// INSERT … ON CONFLICT DO NOTHING per batch into a table with a unique key), in the same run, each
// through a pool of the driver's default size (what `postgresStorage` makes from a connection string).
import pg from 'pg'
import { postgresStorage } from '../src/adapters/postgres.js'
import { type Billing, createBilling } from '../src/index.js'
import { BATCH, measureBatchVsRaw } from './batch-vs-raw.js'
import { compare, defineSuite, measureConcurrent } from './harness.js'
import { benchMeters, pgRawInsert, rawRow, sequence } from './ingest-workload.js'
import { freshSchema, PG_URL } from './pg-fixture.js'
import { measureProcesses } from './pg-processes.js'

interface State {
  billing: Billing
  pool: pg.Pool
  drop: () => Promise<void>
  schema: string
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
    const pool = new pg.Pool({ connectionString: PG_URL })
    const table = `"${schema}".raw_events`
    await pool.query(`CREATE TABLE ${table} (seq BIGSERIAL PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE,
      customer_id TEXT NOT NULL, event_name TEXT NOT NULL, timestamp BIGINT NOT NULL, properties TEXT NOT NULL,
      payload_hash TEXT NOT NULL, received_at BIGINT NOT NULL)`)
    return { billing, pool, drop, schema, table }
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
        const sql = pgRawInsert(s.table, BATCH)
        const [kobometer, baseline] = await measureBatchVsRaw(s.billing, (values) =>
          s.pool.query(sql, values),
        )
        return compare('postgres batch ingest (1,000/call, 2 meters), UUIDv7 keys', kobometer!, baseline, {
          minRatio: 0.5,
        })
      },
    },
    {
      name: '200 concurrent single-event callers',
      run: async (s) => {
        const [k, r] = [sequence(), sequence()]
        const one = pgRawInsert(s.table, 1)
        const [kobometer, baseline] = await measureConcurrent(
          [
            () => s.billing.events.ingest({ events: k.batch(1) }),
            () => s.pool.query(one, rawRow(r.batch(1)[0]!, Date.now())),
          ],
          { callers: 200, ms: 2000, unit: 'events/s' },
        )
        return compare('postgres 200 concurrent single-event callers, UUIDv7 keys', kobometer!, baseline, {
          min: 10_000,
        })
      },
    },
    {
      name: 'processes 1, 2, 4',
      run: async (s, ctx) => {
        // The baseline of this case has kobometer's (customer, time) index too: its own table.
        const table = `"${s.schema}".raw_events_indexed`
        await s.pool.query(`CREATE TABLE ${table} (seq BIGSERIAL PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE,
          customer_id TEXT NOT NULL, event_name TEXT NOT NULL, timestamp BIGINT NOT NULL, properties TEXT NOT NULL,
          payload_hash TEXT NOT NULL, received_at BIGINT NOT NULL)`)
        await s.pool.query(`CREATE INDEX ON ${table} (customer_id, timestamp)`)
        return measureProcesses({ schema: s.schema, table }, [1, 2, 4], ctx.log)
      },
    },
  ],
})
