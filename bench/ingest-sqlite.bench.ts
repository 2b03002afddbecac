// SQLite ingestion: kobometer (events + two meters' rollups, exactly once) against raw better-sqlite3
// inserting the same rows, with kobometer's own pragmas, into a table with the unique key only and
// into one that also has kobometer's (customer, time) index. Every case starts on fresh files.
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { sqliteStorage } from '../src/adapters/sqlite.js'
import { type Billing, createBilling, type EventInput } from '../src/index.js'
import {
  compare,
  defineSuite,
  measureLatencies,
  measureThroughputs,
  pickLatency,
  type Result,
} from './harness.js'
import type { KeyKind } from './idempotency-keys.js'
import { benchMeters, rawRow, sequence } from './ingest-workload.js'
import { benchDir, openRawSqlite } from './sqlite-fixture.js'

type Row = ReturnType<typeof rawRow>

const RAW_SCHEMA = `CREATE TABLE events (seq INTEGER PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE,
  customer_id TEXT NOT NULL, event_name TEXT NOT NULL, timestamp INTEGER NOT NULL, properties TEXT NOT NULL,
  payload_hash TEXT NOT NULL, received_at INTEGER NOT NULL)`
// The one secondary index kobometer keeps on its event log (exact window edges, events.list).
const CUSTOMER_TIME_INDEX = 'CREATE INDEX events_customer_time ON events (customer_id, timestamp, seq)'
const INSERT =
  'INSERT INTO events (idempotency_key, customer_id, event_name, timestamp, properties, payload_hash, received_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING'

interface RawTable {
  db: Database.Database
  one: (row: Row) => unknown
  /** One transaction per batch, taking the write lock up front as kobometer's does. */
  many: (rows: Row[]) => unknown
}

function rawTable(file: string, customerTimeIndex: boolean): RawTable {
  const db = openRawSqlite(file)
  db.exec(customerTimeIndex ? `${RAW_SCHEMA}; ${CUSTOMER_TIME_INDEX}` : RAW_SCHEMA)
  const insert = db.prepare(INSERT)
  const batch = db.transaction((rows: Row[]) => {
    for (const row of rows) insert.run(row)
  })
  return { db, one: (row) => insert.run(row), many: (rows) => batch.immediate(rows) }
}

async function kobometerStore(dir: string): Promise<Billing> {
  const billing = await createBilling({ storage: sqliteStorage({ filename: join(dir, 'kobometer.db') }) })
  for (const m of benchMeters) await billing.meters.create(m)
  return billing
}

const rowsOf = (events: EventInput[]) => events.map((e) => rawRow(e, Date.now()))

async function batchIngest(sub: (name: string) => string, keys: KeyKind, label: string): Promise<Result[]> {
  const dir = sub(`batch-${keys}`)
  const billing = await kobometerStore(dir)
  const plain = rawTable(join(dir, 'raw.db'), false)
  const indexed = rawTable(join(dir, 'raw-indexed.db'), true)
  try {
    const [k, r, ri] = [sequence(keys), sequence(keys), sequence(keys)]
    const [kobometer, unique, sameIndex] = await measureThroughputs(
      [
        () => billing.events.ingest({ events: k.batch(1000) }),
        () => plain.many(rowsOf(r.batch(1000))),
        () => indexed.many(rowsOf(ri.batch(1000))),
      ],
      { opsPerCall: 1000, unit: 'events/s', minMs: 1500 },
    )
    const name = `sqlite batch ingest (1,000/call, 2 meters), ${label} keys`
    return [
      compare(
        `${name}, vs raw unique key only`,
        kobometer!,
        unique,
        keys === 'uuidv7' ? { min: 150_000, minRatio: 0.5 } : { minRatio: 0.8 },
      ),
      compare(`${name}, vs raw + (customer, time) index`, kobometer!, sameIndex),
    ]
  } finally {
    await billing.close()
    plain.db.close()
    indexed.db.close()
  }
}

async function singleEventLatency(sub: (name: string) => string): Promise<Result[]> {
  const dir = sub('single')
  const billing = await kobometerStore(dir)
  const indexed = rawTable(join(dir, 'raw-indexed.db'), true)
  try {
    const [k, r] = [sequence('uuidv7'), sequence('uuidv7')]
    const [kobometer, baseline] = await measureLatencies(
      [
        () => billing.events.ingest({ events: k.batch(1) }),
        () => indexed.one(rawRow(r.batch(1)[0]!, Date.now())),
      ],
      { iterations: 20_000 },
    )
    const row = (stat: 'p50' | 'p99' | 'p999', max?: number) =>
      compare(
        `sqlite single-event ingest ${stat}, UUIDv7 keys, vs raw + (customer, time) index`,
        pickLatency(kobometer!, stat),
        pickLatency(baseline!, stat),
        max === undefined ? undefined : { max },
      )
    return [row('p50'), row('p99', 150), row('p999', 1000)]
  } finally {
    await billing.close()
    indexed.db.close()
  }
}

type State = ReturnType<typeof benchDir>

export default defineSuite<State>({
  name: 'ingest-sqlite',
  setup: () => benchDir(),
  teardown: (s) => s.remove(),
  cases: [
    { name: 'batch ingest, UUIDv7 keys', run: (s) => batchIngest(s.sub, 'uuidv7', 'UUIDv7') },
    { name: 'batch ingest, UUIDv4 keys', run: (s) => batchIngest(s.sub, 'uuidv4', 'UUIDv4') },
    { name: 'single-event ingest latency', run: (s) => singleEventLatency(s.sub) },
  ],
})
