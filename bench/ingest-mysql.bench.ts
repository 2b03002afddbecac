// MySQL/MariaDB ingestion: kobometer against raw mysql2 inserting the same rows (one multi-row
// INSERT IGNORE per batch) into a table with the same columns, collation and indexes as kobometer's
// event log (the unique key and the (customer, time) index), in the same run, each through a pool
// of the driver's default size and the options `mysqlStorage` uses for a URI.
import mysql from 'mysql2/promise'
import { mysqlStorage } from '../src/adapters/mysql.js'
import { type Billing, createBilling } from '../src/index.js'
import { BATCH, measureBatchVsRaw } from './batch-vs-raw.js'
import { compare, defineSuite, measureConcurrent } from './harness.js'
import { benchMeters, rawRow, sequence } from './ingest-workload.js'
import { freshDatabase, mysqlSkipReason } from './mysql-fixture.js'

interface State {
  billing: Billing
  pool: mysql.Pool
  drop: () => Promise<void>
}

const INSERT =
  'INSERT IGNORE INTO raw_events (idempotency_key, customer_id, event_name, timestamp, properties, payload_hash, received_at) VALUES '
const placeholders = (rows: number) => Array(rows).fill('(?, ?, ?, ?, ?, ?, ?)').join(', ')

export default defineSuite<State>({
  name: 'ingest-mysql',
  skip: mysqlSkipReason,
  setup: async (ctx) => {
    const { uri, server, collation, drop } = await freshDatabase()
    ctx.log(`  ingest-mysql: server ${server}`)
    const billing = await createBilling({ storage: mysqlStorage({ uri }) })
    for (const m of benchMeters) await billing.meters.create(m)
    const pool = mysql.createPool({ uri, supportBigNumbers: true, bigNumberStrings: false })
    await pool.query(`CREATE TABLE raw_events (seq BIGINT AUTO_INCREMENT PRIMARY KEY,
      idempotency_key VARCHAR(255) NOT NULL UNIQUE, customer_id VARCHAR(255) NOT NULL,
      event_name VARCHAR(100) NOT NULL, timestamp BIGINT NOT NULL, properties MEDIUMTEXT NOT NULL,
      payload_hash VARCHAR(128) NOT NULL, received_at BIGINT NOT NULL,
      INDEX raw_events_customer_time (customer_id, timestamp, seq))
      ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = ${collation}`)
    return { billing, pool, drop }
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
        const sql = INSERT + placeholders(BATCH)
        const [kobometer, baseline] = await measureBatchVsRaw(s.billing, (values) =>
          s.pool.query(sql, values),
        )
        return compare(
          'mysql batch ingest (1,000/call, 2 meters), UUIDv7 keys, vs raw + (customer, time) index',
          kobometer!,
          baseline,
        )
      },
    },
    {
      name: '200 concurrent single-event callers',
      run: async (s) => {
        const [k, r] = [sequence(), sequence()]
        const one = INSERT + placeholders(1)
        const [kobometer, baseline] = await measureConcurrent(
          [
            () => s.billing.events.ingest({ events: k.batch(1) }),
            () => s.pool.query(one, rawRow(r.batch(1)[0]!, Date.now())),
          ],
          { callers: 200, ms: 2000, unit: 'events/s' },
        )
        return compare(
          'mysql 200 concurrent single-event callers, UUIDv7 keys, vs raw + (customer, time) index',
          kobometer!,
          baseline,
        )
      },
    },
  ],
})
