// A child process that delivers notifications to a handler that never returns: it prints
// `got <id>` for each notification it is handed, so the parent can kill it mid-delivery.
import { createBilling } from '../../src/index.js'
import { openStorage, type StoreConfig } from '../support/targets.js'

export type DeliverTask = { config: StoreConfig; now: number; leaseMs: number }

const task = JSON.parse(process.argv[2] ?? '{}') as DeliverTask
const billing = await createBilling({
  storage: await openStorage(task.config),
  clock: () => task.now,
  migrate: false,
  notifications: {
    leaseMs: task.leaseMs,
    handler: async (n) => {
      process.stdout.write(`got ${n.id}\n`)
      await new Promise(() => {})
    },
  },
})
await billing.notifications.deliver()
