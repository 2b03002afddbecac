// A child process that refunds one payment of a shared store through the parent's fake gateways.
// Argument: one JSON object (RefundTask). Prints `ready` once open, waits for a line on stdin so
// that every process refunds at the same moment, then prints a JSON summary of what it got.
import { BillingError } from '../../src/index.js'
import type { StoreConfig } from '../support/targets.js'
import { billingOn } from './payment-fixture.js'

export type RefundTask = {
  config: StoreConfig
  urls: { paystack: string; flutterwave: string }
  now: number
  payment_id: string
  amount?: number
  idempotency_key?: string
}

/** What one process got back: its refund's reference, or the error code it was refused with. */
export type RefundSummary = { reference: string | null; code: string | null }

const task = JSON.parse(process.argv[2] ?? '{}') as RefundTask
const { billing, setNow } = await billingOn(task.config, task.urls, { migrate: false })
setNow(task.now)
process.stdout.write('ready\n')
await new Promise((resolve) => process.stdin.once('data', resolve))
process.stdin.pause()
let summary: RefundSummary
try {
  const { payment_id, amount, idempotency_key } = task
  const payment = await billing.payments.refund({
    payment_id,
    ...(amount === undefined ? {} : { amount }),
    ...(idempotency_key === undefined ? {} : { idempotency_key }),
  })
  summary = { reference: payment.refunds.at(-1)?.reference ?? null, code: null }
} catch (error) {
  if (!(error instanceof BillingError)) throw error
  summary = { reference: null, code: error.code }
}
await billing.close()
process.stdout.write(`${JSON.stringify(summary)}\n`)
