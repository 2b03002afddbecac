// A child process that runs invoicing on a shared store. Argument: one JSON object (InvoiceTask).
// Waits until `startAt` (wall clock) so that all workers start together, prints `started`, runs
// `invoices.run` `runs` times with the clock at `now` (only `shard` of the run, when given), then
// prints a JSON summary line.
import { createBilling } from '../../src/index.js'
import { openStorage, type StoreConfig } from '../support/targets.js'

export type InvoiceTask = {
  config: StoreConfig
  now: number
  startAt: number
  runs: number
  shard?: { index: number; count: number }
}

const task = JSON.parse(process.argv[2] ?? '{}') as InvoiceTask
const billing = await createBilling({
  storage: await openStorage(task.config),
  clock: () => task.now,
  migrate: false,
})
await new Promise((resolve) => setTimeout(resolve, Math.max(0, task.startAt - Date.now())))
process.stdout.write('started\n')
let created = 0
let finalized = 0
let failed = 0
for (let i = 0; i < task.runs; i++) {
  const r = await billing.invoices.run(task.shard === undefined ? {} : { shard: task.shard })
  created += r.created.length
  finalized += r.finalized.length
  failed += r.failed.length
}
await billing.close()
process.stdout.write(`${JSON.stringify({ created, finalized, failed })}\n`)
