// A child process that ticks once against a shared store and the parent's fake gateways.
// Argument: one JSON object (CollectTask). Prints `started` first, then a JSON summary.
import type { StoreConfig } from '../support/targets.js'
import { billingOn } from './payment-fixture.js'

export type CollectTask = {
  config: StoreConfig
  urls: { paystack: string; flutterwave: string }
  now: number
}

const task = JSON.parse(process.argv[2] ?? '{}') as CollectTask
const { billing, setNow } = await billingOn(task.config, task.urls, { migrate: false })
setNow(task.now)
process.stdout.write('started\n')
const result = await billing.tick()
await billing.close()
process.stdout.write(
  `${JSON.stringify({ payments: result.payments.length, skipped: result.skipped, gateway_errors: result.gateway_errors })}\n`,
)
