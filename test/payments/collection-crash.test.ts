import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Billing } from '../../src/index.js'
import { type StoreConfig, sqlTargets } from '../support/targets.js'
import type { CollectTask } from './collect-worker.js'
import { billingOn, type Fakes, invoicesOf, JAN, startFakes, subscribed } from './payment-fixture.js'

const workerPath = join(dirname(fileURLToPath(import.meta.url)), 'collect-worker.ts')
const CUSTOMERS = 30

function spawnCollector(task: CollectTask) {
  const child = spawn(process.execPath, ['--import', 'tsx', workerPath, JSON.stringify(task)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  // Resolves with what the collector printed (its tick's summary), so a failed check can show it.
  const done = new Promise<string>((resolve, reject) =>
    child.on('close', (code, signal) =>
      signal === 'SIGKILL' || code === 0
        ? resolve(`${stdout}${stderr}`)
        : reject(new Error(`collector exited ${code}: ${stderr}`)),
    ),
  )
  return { child, done }
}

for (const target of sqlTargets) {
  describe.skipIf(target.skip)(
    `collection exactly once on ${target.name}${target.skip ? ` (skipped: ${target.skip})` : ''}`,
    () => {
      let fakes: Fakes
      let config: StoreConfig
      let destroy: () => Promise<void>
      let billing: Billing
      let setNow: (ms: number) => void

      beforeAll(async () => {
        fakes = await startFakes()
        const store = await target.fresh()
        config = store.config
        destroy = store.destroy
        ;({ billing, setNow } = await billingOn(config, fakes.urls))
      }, 120_000)
      afterAll(async () => {
        await billing?.close()
        await fakes?.close()
        await destroy?.()
      }, 120_000)

      it('a collecting process killed with SIGKILL mid-collection: the next tick charges each invoice exactly once', async () => {
        const customers: string[] = []
        for (let i = 0; i < CUSTOMERS; i++) {
          const email = `c${i}@example.com`
          const card = fakes.paystack.addCard({ email, behaviour: 'approve' })
          customers.push((await subscribed(billing, `crash${i}`, 'paystack', card, email)).customer)
        }
        setNow(JAN + 60_000)
        await billing.invoices.run()
        // Every charge answers slowly, so the kill lands while charges are in flight.
        for (let i = 0; i < 3 * CUSTOMERS; i++) fakes.paystack.delayNext(40)
        const victim = spawnCollector({ config, urls: fakes.urls, now: JAN + 60_000 })
        while (fakes.paystack.charges.length < 5) await new Promise((r) => setTimeout(r, 2))
        victim.child.kill('SIGKILL')
        await victim.done
        const beforeRescue = fakes.paystack.charges.length
        expect(beforeRescue).toBeLessThan(CUSTOMERS)
        let unknown = 0
        for (const customer of customers) {
          const [invoice] = await invoicesOf(billing, customer)
          const payments = (await billing.payments.list({ invoice_id: invoice!.id })).data
          unknown += payments.filter((p) => p.status === 'processing').length
        }
        console.log(
          `${target.name}: killed after ${beforeRescue} charges, leaving ${unknown} attempt(s) of unknown outcome`,
        )

        // Past the dead process's lease, another process ticks and resolves what it left.
        const rescuer = spawnCollector({ config, urls: fakes.urls, now: JAN + 60_000 + 5 * 60_000 })
        const rescued = await rescuer.done
        for (const customer of customers) {
          const [invoice] = await invoicesOf(billing, customer)
          expect(invoice?.status, `${customer} after the rescuing tick: ${rescued}`).toBe('paid')
          const payments = (await billing.payments.list({ invoice_id: invoice!.id })).data
          expect(payments.map((p) => p.status)).toEqual(['succeeded'])
          const prefix = payments[0]!.reference.replace(/-\d+$/, '-')
          const successes = fakes.paystack.charges.filter(
            (c) => c.reference.startsWith(prefix) && c.status === 'succeeded',
          )
          expect(successes).toHaveLength(1)
        }
      }, 300_000)

      it('3 processes ticking at once charge each invoice exactly once', async () => {
        const customers: string[] = []
        for (let i = 0; i < 15; i++) {
          const email = `t${i}@example.com`
          const card = fakes.paystack.addCard({ email, behaviour: 'approve' })
          customers.push((await subscribed(billing, `race${i}`, 'paystack', card, email)).customer)
        }
        setNow(JAN + 60_000)
        await billing.invoices.run()
        const ticks = Array.from({ length: 3 }, () =>
          spawnCollector({ config, urls: fakes.urls, now: JAN + 60_000 }),
        )
        await Promise.all(ticks.map((t) => t.done))
        for (const customer of customers) {
          const [invoice] = await invoicesOf(billing, customer)
          expect(invoice?.status, customer).toBe('paid')
          const payments = (await billing.payments.list({ invoice_id: invoice!.id })).data
          expect(payments).toHaveLength(1)
          expect(fakes.paystack.successfulCharges(payments[0]!.reference)).toBe(1)
        }
      }, 300_000)
    },
  )
}
