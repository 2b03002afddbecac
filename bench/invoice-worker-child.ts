// One invoicing worker of a shared store: opens it, waits until `startAt` (wall clock) so that
// every worker starts together, runs `invoices.run` once at `runAt` (one shard of `count`, or all),
// and prints one JSON line: when it started and finished (epoch ms) and how many it finalized.
import { postgresStorage } from '../src/adapters/postgres.js'
import { sqliteStorage } from '../src/adapters/sqlite.js'
import { createBilling } from '../src/index.js'
import { PG_URL } from './pg-fixture.js'

/** What a worker is told: its store, when to start, the run's clock, and its shard (none: the whole run). */
export interface WorkerTask {
  store: { postgres_schema: string } | { sqlite_file: string }
  startAt: number
  /** The injected clock's instant for the run (epoch ms). */
  runAt: number
  shard?: { index: number; count: number }
}

/** What a worker reports. */
export interface WorkerReport {
  started: number
  finished: number
  finalized: number
}

const task = JSON.parse(process.argv[2] ?? '{}') as WorkerTask
const storage =
  'postgres_schema' in task.store
    ? postgresStorage({ connectionString: PG_URL }, { schema: task.store.postgres_schema })
    : sqliteStorage({ filename: task.store.sqlite_file })
const billing = await createBilling({ storage, clock: () => task.runAt, migrate: false })
await new Promise((resolve) => setTimeout(resolve, Math.max(0, task.startAt - Date.now())))
const started = Date.now()
const result = await billing.invoices.run(task.shard === undefined ? {} : { shard: task.shard })
const report: WorkerReport = { started, finished: Date.now(), finalized: result.finalized.length }
await billing.close()
process.stdout.write(`${JSON.stringify(report)}\n`)
