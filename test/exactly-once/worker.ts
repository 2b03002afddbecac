// A child process that ingests into a shared store. Argument: one JSON object (see WorkerTask).
// Prints `ack <batch>` after each batch is durably stored, and a final JSON summary line.
import { createBilling } from '../../src/index.js'
import { openStorage, type StoreConfig } from '../support/targets.js'
import { nthEvent } from './events.js'

export type WorkerTask = {
  config: StoreConfig
  run: string
  /** Ingest events [from, to) in batches of `batch`. */
  from: number
  to: number
  batch: number
}

const task = JSON.parse(process.argv[2] ?? '{}') as WorkerTask
const billing = await createBilling({ storage: await openStorage(task.config) })
let accepted = 0
let duplicates = 0
for (let start = task.from; start < task.to; start += task.batch) {
  const events = []
  for (let i = start; i < Math.min(start + task.batch, task.to); i++) events.push(nthEvent(task.run, i))
  const r = await billing.events.ingest({ events })
  if (r.rejected > 0 || r.conflicts > 0)
    throw new Error(`unexpected outcome: ${JSON.stringify(r.results[0])}`)
  accepted += r.accepted
  duplicates += r.duplicates
  process.stdout.write(`ack ${start}\n`)
}
await billing.close()
process.stdout.write(`${JSON.stringify({ accepted, duplicates })}\n`)
