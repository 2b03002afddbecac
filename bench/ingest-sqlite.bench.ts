// SQLite ingestion: kobometer (events + two meters' rollups, exactly once) against raw better-sqlite3
// inserting the same rows into a table with a unique key, both on a fresh WAL file in the same run.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { sqliteStorage } from '../src/adapters/sqlite.js'
import { type Billing, createBilling } from '../src/index.js'
import { compare, defineSuite, measureLatency, measureThroughput, pickLatency } from './harness.js'
import { benchMeters, rawRow, sequence } from './ingest-workload.js'

interface State {
  dir: string
  billing: Billing
  raw: Database.Database
  insert: Database.Statement
  indexed: Database.Database
  insertIndexed: Database.Statement
}

const RAW_SCHEMA = `CREATE TABLE events (seq INTEGER PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE,
  customer_id TEXT NOT NULL, event_name TEXT NOT NULL, timestamp INTEGER NOT NULL, properties TEXT NOT NULL,
  payload_hash TEXT NOT NULL, received_at INTEGER NOT NULL)`

export default defineSuite<State>({
  name: 'ingest-sqlite',
  setup: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kobometer-bench-'))
    const billing = await createBilling({ storage: sqliteStorage({ filename: join(dir, 'kobometer.db') }) })
    for (const m of benchMeters) await billing.meters.create(m)
    const raw = new Database(join(dir, 'raw.db'))
    raw.pragma('journal_mode = WAL')
    raw.pragma('synchronous = NORMAL')
    raw.exec(RAW_SCHEMA)
    const insertSql =
      'INSERT INTO events (idempotency_key, customer_id, event_name, timestamp, properties, payload_hash, received_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING'
    const insert = raw.prepare(insertSql)
    // A second baseline with the one secondary index kobometer keeps (exact window edges, events.list).
    const indexed = new Database(join(dir, 'raw-indexed.db'))
    indexed.pragma('journal_mode = WAL')
    indexed.pragma('synchronous = NORMAL')
    indexed.exec(`${RAW_SCHEMA}; CREATE INDEX events_customer_time ON events (customer_id, timestamp, seq)`)
    return { dir, billing, raw, insert, indexed, insertIndexed: indexed.prepare(insertSql) }
  },
  teardown: async (s) => {
    await s.billing.close()
    s.raw.close()
    s.indexed.close()
    rmSync(s.dir, { recursive: true, force: true })
  },
  cases: [
    {
      name: 'batch ingest',
      run: async (s) => {
        const k = sequence('kb', Date.now)
        const r = sequence('raw', Date.now)
        const opts = { opsPerCall: 1000, unit: 'events/s', minMs: 1500, rounds: 3 }
        const kobometer = await measureThroughput(
          () => s.billing.events.ingest({ events: k.batch(1000) }),
          opts,
        )
        const rawBatch = s.raw.transaction((rows: ReturnType<typeof rawRow>[]) => {
          for (const row of rows) s.insert.run(row)
        })
        const baseline = await measureThroughput(
          () => rawBatch(r.batch(1000).map((e) => rawRow(e, Date.now()))),
          opts,
        )
        const ri = sequence('rawi', Date.now)
        const indexedBatch = s.indexed.transaction((rows: ReturnType<typeof rawRow>[]) => {
          for (const row of rows) s.insertIndexed.run(row)
        })
        const sameIndex = await measureThroughput(
          () => indexedBatch(ri.batch(1000).map((e) => rawRow(e, Date.now()))),
          opts,
        )
        return [
          compare('sqlite batch ingest (1,000/call, 2 meters)', kobometer, baseline, {
            min: 150_000,
            minRatio: 0.5,
          }),
          compare('sqlite batch ingest vs raw + same (customer, time) index', kobometer, sameIndex),
        ]
      },
    },
    {
      name: 'single-event ingest latency',
      run: async (s) => {
        const k = sequence('kb1', Date.now)
        const r = sequence('raw1', Date.now)
        const kobometer = await measureLatency(() => s.billing.events.ingest({ events: k.batch(1) }), {
          iterations: 20_000,
        })
        const baseline = await measureLatency(() => s.insert.run(rawRow(r.batch(1)[0]!, Date.now())), {
          iterations: 20_000,
        })
        return [
          compare(
            'sqlite single-event ingest p50',
            pickLatency(kobometer, 'p50'),
            pickLatency(baseline, 'p50'),
          ),
          compare(
            'sqlite single-event ingest p99',
            pickLatency(kobometer, 'p99'),
            pickLatency(baseline, 'p99'),
            {
              max: 250,
            },
          ),
        ]
      },
    },
  ],
})
