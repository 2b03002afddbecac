// Process A of the staleness bench: opens the store the parent made and, for each message
// `{ key, customer_id }`, ingests one `api_call` event and answers `{ key, at }`, where `at` is the
// monotonic clock (shared by every process of the host) in ns when the ingest resolved.
import { hrtime } from 'node:process'
import { sqliteStorage } from '../src/adapters/sqlite.js'
import { createBilling } from '../src/index.js'

interface IngestRequest {
  key: string
  customer_id: string
}

const filename = process.argv[2]
if (filename === undefined || process.send === undefined)
  throw new Error('usage: fork(staleness-child.ts, [filename])')
const send = process.send.bind(process)
const billing = await createBilling({ storage: sqliteStorage({ filename }), migrate: false })

process.on('message', (message: IngestRequest) => {
  void (async () => {
    await billing.events.ingest({
      events: [
        {
          event_name: 'api_call',
          customer_id: message.customer_id,
          idempotency_key: message.key,
          properties: { tokens: 1 },
        },
      ],
    })
    send({ key: message.key, at: hrtime.bigint().toString() })
  })()
})
process.on('disconnect', () => {
  void billing.close().then(() => process.exit(0))
})
send({ ready: true })
