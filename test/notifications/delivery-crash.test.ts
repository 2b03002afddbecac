import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { notify } from '../../src/core/notifications/notify.js'
import type { Storage } from '../../src/core/ports/index.js'
import { type Billing, createBilling, type Notification } from '../../src/index.js'
import { openStorage, type StoreConfig, sqlTargets } from '../support/targets.js'
import type { DeliverTask } from './deliver-worker.js'

const workerPath = join(dirname(fileURLToPath(import.meta.url)), 'deliver-worker.ts')
const NOW = Date.UTC(2026, 3, 1)
const LEASE = 30_000

// Starts the worker and resolves with the notification id it printed once the handler has it.
function spawnDeliverer(task: DeliverTask) {
  const child = spawn(process.execPath, ['--import', 'tsx', workerPath, JSON.stringify(task)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  })
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const handed = new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk
      const line = out.split('\n').find((l) => l.startsWith('got '))
      if (line !== undefined) resolve(line.slice(4))
    })
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`deliverer exited ${code}: ${stderr}`))
    })
  })
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  return { child, handed, exited }
}

for (const target of sqlTargets) {
  describe.skipIf(target.skip)(
    `notification delivery after a crash on ${target.name}${target.skip ? ` (skipped: ${target.skip})` : ''}`,
    () => {
      let config: StoreConfig
      let destroy: () => Promise<void>
      let storage: Storage
      let billing: Billing
      let now = NOW
      const seen: Notification[] = []

      beforeAll(async () => {
        const store = await target.fresh()
        config = store.config
        destroy = store.destroy
        storage = await openStorage(config)
        billing = await createBilling({
          storage,
          clock: () => now,
          notifications: { leaseMs: LEASE, handler: (n) => void seen.push(n) },
        })
      }, 120_000)
      afterAll(async () => {
        await billing?.close()
        await destroy?.()
      }, 120_000)

      it('a process killed with SIGKILL after claiming: delivered, with the same id, once its lease ends', async () => {
        const { record } = await notify(
          { storage, now: () => now },
          {
            type: 'invoice.paid',
            key: 'invoice.paid:in_crash',
            customer_id: 'cus_crash',
            data: { invoice_id: 'in_crash' },
          },
        )
        await notify(
          { storage, now: () => now },
          {
            type: 'invoice.paid',
            key: 'invoice.paid:in_next',
            customer_id: 'cus_crash',
            data: { invoice_id: 'in_next' },
          },
        )
        const victim = spawnDeliverer({ config, now, leaseMs: LEASE })
        expect(await victim.handed).toBe(record.id)
        victim.child.kill('SIGKILL')
        await victim.exited

        // Still leased: nobody else takes it, nor the customer's next one.
        expect(await billing.notifications.deliver()).toEqual({ delivered: 0, failed: 0, parked: 0 })
        expect(seen).toEqual([])
        expect((await storage.notifications.deliveries(record.id))[0]).toMatchObject({
          status: 'pending',
          attempts: 1,
        })

        now += LEASE
        expect(await billing.notifications.deliver()).toEqual({ delivered: 2, failed: 0, parked: 0 })
        expect(seen.map((n) => n.data.invoice_id)).toEqual(['in_crash', 'in_next'])
        expect(seen[0]!.id).toBe(record.id)
        expect((await storage.notifications.deliveries(record.id))[0]).toMatchObject({
          status: 'delivered',
          attempts: 2,
        })
      }, 60_000)
    },
  )
}
