// One ingesting process of the PostgreSQL many-process bench. Given `{ mode, schema, table }`, it
// opens kobometer on the shared schema (or a raw pg pool writing the baseline table), says
// `{ ready }`, then for each `{ run: ms }` runs `callers` loops of 100-event batches for that long
// and answers `{ events, cpuMicros }`: events stored and the CPU this process spent doing it.
import pg from 'pg'
import { postgresStorage } from '../src/adapters/postgres.js'
import { createBilling } from '../src/index.js'
import { pgRawInsert, rawRow, sequence } from './ingest-workload.js'
import { PG_URL } from './pg-fixture.js'

export interface ProcessSpec {
  mode: 'kobometer' | 'raw'
  schema: string
  /** The raw baseline's table, schema-qualified. */
  table: string
  /** Concurrent loops in this process. */
  callers: number
  batch: number
  /** kobometer's `appendTransactions` (default: the storage's default). */
  appendTransactions?: number
}

const spec = JSON.parse(process.argv[2] ?? '{}') as ProcessSpec
if (process.send === undefined) throw new Error('usage: fork(pg-processes-child.ts, [JSON spec])')
const send = process.send.bind(process)

const insertSql = pgRawInsert(spec.table, spec.batch)

const events = sequence()
let ingestBatch: () => Promise<unknown>
let close: () => Promise<void>
if (spec.mode === 'kobometer') {
  const billing = await createBilling({
    storage: postgresStorage(
      { connectionString: PG_URL },
      {
        schema: spec.schema,
        ...(spec.appendTransactions === undefined ? {} : { appendTransactions: spec.appendTransactions }),
      },
    ),
    migrate: false,
  })
  ingestBatch = () => billing.events.ingest({ events: events.batch(spec.batch) })
  close = () => billing.close()
} else {
  const pool = new pg.Pool({ connectionString: PG_URL })
  ingestBatch = () =>
    pool.query(
      insertSql,
      events.batch(spec.batch).flatMap((e) => rawRow(e, Date.now())),
    )
  close = () => pool.end()
}

async function run(ms: number): Promise<{ events: number; cpuMicros: number }> {
  let batches = 0
  const cpu = process.cpuUsage()
  const deadline = performance.now() + ms
  await Promise.all(
    Array.from({ length: spec.callers }, async () => {
      while (performance.now() < deadline) {
        await ingestBatch()
        batches++
      }
    }),
  )
  const used = process.cpuUsage(cpu)
  return { events: batches * spec.batch, cpuMicros: used.user + used.system }
}

process.on('message', (message: { run?: number }) => {
  if (message.run === undefined) return
  void run(message.run).then(send)
})
process.on('disconnect', () => {
  void close().then(() => process.exit(0))
})
send({ ready: true })
