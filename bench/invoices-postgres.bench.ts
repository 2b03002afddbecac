// invoices.run for 1,000 and 10,000 subscriptions (3 charges each, 100 events per customer) on
// PostgreSQL, against raw pg doing the same work with 8 concurrent connections: per customer
// three aggregates over an indexed event table and one numbered invoice row, in one transaction.
// Then one run shared by 2 worker processes (shards 0 and 1 of 2) against 1 worker process, each on
// its own store seeded the same way.
import pg from 'pg'
import { postgresStorage } from '../src/adapters/postgres.js'
import { createBilling } from '../src/index.js'
import { compare, defineSuite } from './harness.js'
import { timeWorkers } from './invoice-workers.js'
import {
  EVENTS_PER_CUSTOMER,
  FEB,
  invoiceRunRows,
  JAN,
  type RawEvent,
  seconds,
  seedInvoicing,
  timeInvoiceRun,
} from './invoice-workload.js'
import { freshSchema, PG_URL } from './pg-fixture.js'

async function rawInvoicer(pool: pg.Pool, schema: string) {
  const t = (name: string) => `"${schema}".${name}`
  await pool.query(`CREATE TABLE ${t('raw_events')} (customer_id TEXT, timestamp BIGINT, tokens BIGINT);
    CREATE INDEX ON ${t('raw_events')} (customer_id, timestamp);
    CREATE TABLE ${t('raw_invoices')} (id TEXT PRIMARY KEY, customer_id TEXT, number BIGINT, doc TEXT);
    CREATE TABLE ${t('raw_seq')} (id INT PRIMARY KEY, value BIGINT); INSERT INTO ${t('raw_seq')} VALUES (1, 0);`)
  const window = `customer_id = $1 AND timestamp >= ${JAN} AND timestamp < ${FEB}`
  return {
    add: async (rows: RawEvent[]) => {
      await pool.query(
        `INSERT INTO ${t('raw_events')} SELECT * FROM unnest($1::text[], $2::int8[], $3::int8[])`,
        [rows.map((r) => r.customer_id), rows.map((r) => r.timestamp), rows.map((r) => r.tokens)],
      )
    },
    run: async (customers: number) => {
      let next = 0
      const worker = async () => {
        const client = await pool.connect()
        try {
          while (next < customers) {
            const c = next++
            const id = `cus_${c}`
            await client.query('BEGIN')
            const calls = await client.query(`SELECT count(*) AS n FROM ${t('raw_events')} WHERE ${window}`, [
              id,
            ])
            const tokens = await client.query(
              `SELECT sum(tokens) AS s FROM ${t('raw_events')} WHERE ${window}`,
              [id],
            )
            const tiered = await client.query(
              `SELECT count(*) AS n FROM ${t('raw_events')} WHERE ${window}`,
              [id],
            )
            const seq = await client.query(
              `UPDATE ${t('raw_seq')} SET value = value + 1 WHERE id = 1 RETURNING value`,
            )
            await client.query(`INSERT INTO ${t('raw_invoices')} VALUES ($1, $2, $3, $4)`, [
              `in_${c}`,
              id,
              seq.rows[0].value,
              JSON.stringify({ calls: calls.rows[0].n, tokens: tokens.rows[0].s, tiered: tiered.rows[0].n }),
            ])
            await client.query('COMMIT')
          }
        } finally {
          client.release()
        }
      }
      await Promise.all(Array.from({ length: 8 }, worker))
    },
  }
}

async function measure(
  customers: number,
  log: (m: string) => void,
): Promise<{ kobometer: number; raw: number }> {
  const { schema, drop } = await freshSchema()
  const pool = new pg.Pool({ connectionString: PG_URL, max: 8 })
  let now = JAN
  const billing = await createBilling({
    storage: postgresStorage({ connectionString: PG_URL }, { schema }),
    clock: () => now,
  })
  try {
    const raw = await rawInvoicer(pool, schema)
    log(
      `invoices-postgres: seeding ${customers.toLocaleString()} subscriptions, ${(customers * EVENTS_PER_CUSTOMER).toLocaleString()} events`,
    )
    await seedInvoicing(
      billing,
      (ms) => {
        now = ms
      },
      customers,
      EVENTS_PER_CUSTOMER,
      (rows) => raw.add(rows),
    )
    await pool.query(`VACUUM ANALYZE "${schema}".raw_events`)
    const kobometer = await timeInvoiceRun(
      billing,
      (ms) => {
        now = ms
      },
      customers,
    )
    const rawSeconds = await seconds(() => raw.run(customers))
    return { kobometer, raw: rawSeconds }
  } finally {
    await billing.close()
    await pool.end()
    await drop()
  }
}

// A schema seeded with `customers` subscriptions and January's usage, ready for the run at RUN_AT.
async function seededSchema(
  customers: number,
  label: string,
): Promise<{ schema: string; drop: () => Promise<void> }> {
  const fresh = await freshSchema(label)
  let now = JAN
  const billing = await createBilling({
    storage: postgresStorage({ connectionString: PG_URL }, { schema: fresh.schema }),
    clock: () => now,
  })
  try {
    await seedInvoicing(
      billing,
      (ms) => {
        now = ms
      },
      customers,
      EVENTS_PER_CUSTOMER,
      () => {},
    )
  } finally {
    await billing.close()
  }
  return fresh
}

async function workerRows(customers: number, log: (m: string) => void) {
  log(`invoices-postgres: seeding two stores of ${customers.toLocaleString()} subscriptions for the workers`)
  const stores = await Promise.all([seededSchema(customers, 'one'), seededSchema(customers, 'two')])
  try {
    const one = await timeWorkers({ postgres_schema: stores[0].schema }, 1)
    const two = await timeWorkers({ postgres_schema: stores[1].schema }, 2)
    for (const { finalized } of [one, two])
      if (finalized !== customers) throw new Error(`expected ${customers} invoices, finalized ${finalized}`)
    return compare(
      `postgres invoices.run, 2 worker processes (shards) vs 1, ${customers.toLocaleString()} subscriptions`,
      { value: two.seconds, unit: 's' },
      { value: one.seconds, unit: 's' },
      { minRatio: 1.6 },
    )
  } finally {
    await Promise.all(stores.map((store) => store.drop()))
  }
}

export default defineSuite({
  name: 'invoices-postgres',
  cases: [
    {
      name: 'invoices.run 1,000 and 10,000 subscriptions',
      run: async (_s, ctx) => {
        return invoiceRunRows('postgres', ctx.quick, (customers) => measure(customers, ctx.log))
      },
    },
    {
      name: 'invoices.run, 2 workers vs 1, 10,000 subscriptions',
      run: (_s, ctx) => workerRows(ctx.quick ? 1000 : 10_000, ctx.log),
    },
  ],
})
