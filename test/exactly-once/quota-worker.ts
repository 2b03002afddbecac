// A child process that ingests one customer's events against a limit. Argument: a JSON QuotaTask.
// Prints `ack <n>` after each call resolves and a final JSON summary line.
import { createBilling } from '../../src/index.js'
import { openStorage, type StoreConfig } from '../support/targets.js'

export type QuotaTask = {
  config: StoreConfig
  run: string
  customer: string
  /** Keys `<run>_<i>` for i in [from, to), `batch` per call (1: single events). */
  from: number
  to: number
  batch: number
}

const task = JSON.parse(process.argv[2] ?? '{}') as QuotaTask
const billing = await createBilling({ storage: await openStorage(task.config), migrate: false })
const summary = { accepted: 0, duplicates: 0, refused: 0, other: 0, acceptedKeys: [] as string[] }
for (let start = task.from; start < task.to; start += task.batch) {
  const events = []
  for (let i = start; i < Math.min(start + task.batch, task.to); i++) {
    events.push({
      event_name: `call_${task.run}`,
      customer_id: task.customer,
      idempotency_key: `${task.run}_${i}`,
    })
  }
  const r = await billing.events.ingest({ events })
  for (const result of r.results) {
    if (result.status === 'accepted') {
      summary.accepted++
      summary.acceptedKeys.push(result.idempotency_key ?? '')
    } else if (result.status === 'duplicate') summary.duplicates++
    else if (result.error?.code === 'QUOTA_EXCEEDED') summary.refused++
    else summary.other++
  }
  process.stdout.write(`ack ${start}\n`)
}
await billing.close()
process.stdout.write(`${JSON.stringify(summary)}\n`)
