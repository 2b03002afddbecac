// A host process ingesting through a proxy that cuts its database connections. Argument: one JSON
// object (see CutLoadTask). It installs no 'uncaughtException' or 'unhandledRejection' handler, so
// an unheard driver 'error' event ends it with a non-zero code. Prints one JSON summary line.
import mysql from 'mysql2'
import pg from 'pg'
import { mysqlStorage } from '../../src/adapters/mysql.js'
import { postgresStorage } from '../../src/adapters/postgres.js'
import { BillingError, ErrorCode } from '../../src/core/errors.js'
import type { Storage } from '../../src/core/ports/index.js'
import { createBilling } from '../../src/index.js'
import { eventLog } from '../support/event-log.js'
import { startCuttingProxy } from './cutting-proxy.js'

export type CutLoadTask = {
  kind: 'postgres' | 'mysql'
  /** The database's URL; the proxy takes its host and port. */
  url: string
  /** PostgreSQL schema. */
  schema?: string
  /** The host makes the pool and passes it in. */
  hostPool: boolean
  /** Prefix of the run's keys, customers and meter: runs share a store. */
  run: string
  events: number
  callers: number
  batch: number
}

const task = JSON.parse(process.argv[2] ?? '{}') as CutLoadTask
const target = new URL(task.url)
const proxy = await startCuttingProxy(Number(target.port), { chunksPerCut: 60, commitsPerCut: 4 })
target.hostname = '127.0.0.1'
target.port = String(proxy.port)
const url = target.toString()

let hostQuery: () => Promise<unknown> = async () => {}
let hostEnd: () => Promise<void> = async () => {}
function openStorage(): Storage {
  if (task.kind === 'postgres') {
    if (!task.hostPool) return postgresStorage({ connectionString: url }, { schema: task.schema ?? 'public' })
    const pool = new pg.Pool({ connectionString: url, max: 6 })
    // What a host passing its own pool must do: hear idle connections' errors.
    pool.on('error', () => {})
    hostQuery = () => pool.query('SELECT 1')
    hostEnd = () => pool.end()
    return postgresStorage({ pool }, { schema: task.schema ?? 'public' })
  }
  if (!task.hostPool) return mysqlStorage({ uri: url })
  const pool = mysql.createPool({ uri: url, connectionLimit: 6 })
  pool.on('connection', (connection) => connection.on('error', () => {}))
  hostQuery = () => pool.promise().query('SELECT 1')
  hostEnd = () => pool.promise().end()
  return mysqlStorage({ pool })
}

const billing = await createBilling({ storage: openStorage() })
const run = task.run
await billing.meters.create({ code: `${run}_calls`, event_name: `${run}_call`, aggregation: 'count' })
const customers = 4
const event = (i: number) => ({
  event_name: `${run}_call`,
  customer_id: `${run}_cus_${i % customers}`,
  idempotency_key: `${run}-${i}`,
  timestamp: Date.UTC(2026, 0, 1) + i,
  properties: {},
})

const failures: Record<string, number> = {}
let maybeCommitted = 0
async function ingestUntilStored(events: ReturnType<typeof event>[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await billing.events.ingest({ events })
      if (result.rejected > 0 || result.conflicts > 0)
        throw new Error(`unexpected outcome ${JSON.stringify(result)}`)
      return
    } catch (error) {
      const retryable =
        error instanceof BillingError &&
        error.code === ErrorCode.STORAGE_UNAVAILABLE &&
        error.details.retryable === true
      if (!retryable || attempt > 200) throw error
      failures[error.code] = (failures[error.code] ?? 0) + 1
      if (error.details.may_have_committed === true) maybeCommitted++
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  }
}

proxy.cutting = true
await Promise.all(
  Array.from({ length: task.callers }, async (_, caller) => {
    for (let start = caller * task.batch; start < task.events; start += task.callers * task.batch) {
      const batch = []
      for (let i = start; i < Math.min(start + task.batch, task.events); i++) batch.push(event(i))
      await ingestUntilStored(batch)
    }
  }),
)
proxy.cutting = false

// No dead connection went back to a pool: every pooled connection answers at once.
for (let round = 0; round < 3; round++) await Promise.all(Array.from({ length: 6 }, () => hostQuery()))

let usage = 0
let logged = 0
const keys = new Set<string>()
for (let c = 0; c < customers; c++) {
  const q = { customer_id: `${run}_cus_${c}`, from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 0, 2) }
  usage += (await billing.usage.get({ ...q, meter: `${run}_calls` })).quantity
  const log = await eventLog(billing, q.customer_id)
  for (const e of log) keys.add(e.idempotency_key)
  logged += log.length
}
await billing.close()
await hostEnd()
await proxy.close()
process.stdout.write(
  `${JSON.stringify({ usage, logged, distinct: keys.size, cuts: proxy.cuts, failures, maybeCommitted })}\n`,
)
