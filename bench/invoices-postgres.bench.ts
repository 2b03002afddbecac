// invoices.run for 1,000 and 10,000 subscriptions (3 charges each, 100 events per customer and
// month) on PostgreSQL, against raw pg doing the same work with 8 concurrent connections: per
// customer three aggregates over an indexed event table and one numbered invoice row, in one
// transaction. Then one run shared by 2 worker processes (shards 0 and 1 of 2) against 1 worker
// process, each on its own store seeded the same way. Each round is one month's run (see
// invoice-workload.ts).
import pg from 'pg'
import { postgresStorage } from '../src/adapters/postgres.js'
import { compare, defineSuite } from './harness.js'
import { timeWorkers } from './invoice-workers.js'
import {
  EVENTS_PER_CUSTOMER,
  type InvoiceRunTimes,
  invoiceRounds,
  invoiceRunRows,
  invoicingBilling,
  monthStart,
  openInvoicing,
  type RawEvent,
  runAt,
  seedMonth,
  timeInvoiceRounds,
} from './invoice-workload.js'
import { fromRounds } from './measure.js'
import { freshSchema, PG_URL } from './pg-fixture.js'

async function rawInvoicer(pool: pg.Pool, schema: string) {
  const t = (name: string) => `"${schema}".${name}`
  await pool.query(`CREATE TABLE ${t('raw_events')} (customer_id TEXT, timestamp BIGINT, tokens BIGINT);
    CREATE INDEX ON ${t('raw_events')} (customer_id, timestamp);
    CREATE TABLE ${t('raw_invoices')} (id TEXT PRIMARY KEY, customer_id TEXT, number BIGINT, doc TEXT);
    CREATE TABLE ${t('raw_seq')} (id INT PRIMARY KEY, value BIGINT); INSERT INTO ${t('raw_seq')} VALUES (1, 0);`)
  return {
    afterSeed: async () => {
      await pool.query(`VACUUM ANALYZE ${t('raw_events')}`)
    },
    add: async (rows: RawEvent[]) => {
      await pool.query(
        `INSERT INTO ${t('raw_events')} SELECT * FROM unnest($1::text[], $2::int8[], $3::int8[])`,
        [rows.map((r) => r.customer_id), rows.map((r) => r.timestamp), rows.map((r) => r.tokens)],
      )
    },
    run: async (customers: number, month: number) => {
      const window = `customer_id = $1 AND timestamp >= ${monthStart(month)} AND timestamp < ${monthStart(month + 1)}`
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
              `in_${month}_${c}`,
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

async function measure(customers: number, log: (m: string) => void): Promise<InvoiceRunTimes> {
  const { schema, drop } = await freshSchema()
  const pool = new pg.Pool({ connectionString: PG_URL, max: 8 })
  try {
    const raw = await rawInvoicer(pool, schema)
    const storage = postgresStorage({ connectionString: PG_URL }, { schema })
    return await timeInvoiceRounds(storage, raw, customers, invoiceRounds(), log)
  } finally {
    await pool.end()
    await drop()
  }
}

// A schema with `customers` subscriptions opened, and a function that ingests a month's usage.
async function invoicingStore(customers: number, label: string) {
  const fresh = await freshSchema(label)
  const { billing, setNow } = await invoicingBilling(
    postgresStorage({ connectionString: PG_URL }, { schema: fresh.schema }),
  )
  try {
    await openInvoicing(billing, setNow, customers)
  } catch (error) {
    await billing.close()
    await fresh.drop()
    throw error
  }
  return {
    schema: fresh.schema,
    seed: (month: number) => seedMonth(billing, setNow, customers, month, () => {}),
    drop: async () => {
      await billing.close()
      await fresh.drop()
    },
  }
}

async function workerRows(customers: number, log: (m: string) => void) {
  // Opened side by side; if one fails, the other is dropped too.
  const opened = await Promise.allSettled([
    invoicingStore(customers, 'one'),
    invoicingStore(customers, 'two'),
  ])
  const stores = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []))
  const failed = opened.find((o) => o.status === 'rejected')
  if (failed !== undefined) {
    await Promise.all(stores.map((store) => store.drop()))
    throw failed.reason
  }
  try {
    const one: number[] = []
    const two: number[] = []
    const rounds = invoiceRounds()
    for (let month = 0; month < rounds; month++) {
      log(
        `invoices-postgres: workers, round ${month + 1}/${rounds}: seeding two stores of ${customers.toLocaleString()} subscriptions, ${(customers * EVENTS_PER_CUSTOMER).toLocaleString()} events each`,
      )
      await Promise.all(stores.map((store) => store.seed(month)))
      for (const [workers, times] of [
        [1, one],
        [2, two],
      ] as const) {
        const store = stores[workers - 1]!
        const { seconds, finalized } = await timeWorkers(
          { postgres_schema: store.schema },
          workers,
          runAt(month),
        )
        if (finalized !== customers) throw new Error(`expected ${customers} invoices, finalized ${finalized}`)
        times.push(seconds)
      }
    }
    return compare(
      `postgres invoices.run, 2 worker processes (shards) vs 1, ${customers.toLocaleString()} subscriptions`,
      fromRounds(two, 's'),
      fromRounds(one, 's'),
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
