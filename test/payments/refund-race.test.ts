import { type ChildProcess, spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Billing, Payment } from '../../src/index.js'
import { type StoreConfig, sqlTargets } from '../support/targets.js'
import { billingOn, type Fakes, JAN, startFakes, subscribed } from './payment-fixture.js'
import type { RefundSummary, RefundTask } from './refund-worker.js'

const workerPath = join(dirname(fileURLToPath(import.meta.url)), 'refund-worker.ts')
const PROCESSES = 4

type Refunder = { child: ChildProcess; ready: Promise<void>; done: Promise<RefundSummary> }

function spawnRefunder(task: RefundTask): Refunder {
  const child = spawn(process.execPath, ['--import', 'tsx', workerPath, JSON.stringify(task)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  })
  let stdout = ''
  let stderr = ''
  let markReady = () => {}
  const ready = new Promise<void>((resolve) => {
    markReady = resolve
  })
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    if (stdout.includes('ready\n')) markReady()
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const done = new Promise<RefundSummary>((resolve, reject) =>
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`refunder exited ${code}: ${stderr.slice(-2000)}`))
      resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as RefundSummary)
    }),
  )
  return { child, ready, done }
}

/** Starts the processes, lets them all refund at once, and returns what each got. */
async function raceRefunds(tasks: RefundTask[]): Promise<RefundSummary[]> {
  const refunders = tasks.map(spawnRefunder)
  await Promise.all(refunders.map((r) => r.ready))
  for (const r of refunders) r.child.stdin?.end('go\n')
  return Promise.all(refunders.map((r) => r.done))
}

// Several OS processes refunding one payment of one database at the same moment: the refund is
// recorded by compare-and-set before any gateway call, so exactly one process asks the gateway.
for (const target of sqlTargets) {
  describe.skipIf(target.skip)(
    `refunds exactly once across processes on ${target.name}${target.skip ? ` (skipped: ${target.skip})` : ''}`,
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

      async function paidPayment(ns: string): Promise<Payment> {
        const email = `${ns}@example.com`
        const card = fakes.paystack.addCard({ email })
        await subscribed(billing, ns, 'paystack', card, email)
        setNow(JAN + 60_000)
        const paid = (await billing.tick()).payments.find((p) => p.customer_id === `${ns}_cus`)
        expect(paid?.status).toBe('succeeded')
        return paid!
      }
      const refundsAt = (reference: string) => fakes.paystack.refunds.filter((r) => r.reference === reference)

      it(`${PROCESSES} processes refund the same amount at once: one gateway refund`, async () => {
        const paid = await paidPayment('racepart')
        // The gateway answers late, so every process decides while the refund is in flight.
        fakes.paystack.delayNext(1000)
        const task: RefundTask = {
          config,
          urls: fakes.urls,
          now: JAN + 120_000,
          payment_id: paid.id,
          amount: 1000,
        }
        const summaries = await raceRefunds(Array.from({ length: PROCESSES }, () => task))
        expect(refundsAt(paid.reference)).toHaveLength(1)
        expect(summaries).toEqual(
          Array.from({ length: PROCESSES }, () => ({ reference: `${paid.reference}-r1`, code: null })),
        )
        expect(await billing.payments.get(paid.id)).toMatchObject({
          amount_refunded: 1000,
          refunds: [{ amount: 1000 }],
        })
      }, 120_000)

      it(`${PROCESSES} processes refund a whole payment with one idempotency_key: one gateway refund`, async () => {
        const paid = await paidPayment('racekey')
        const task: RefundTask = {
          config,
          urls: fakes.urls,
          now: JAN + 120_000,
          payment_id: paid.id,
          idempotency_key: 'ticket-42',
        }
        const summaries = await raceRefunds(Array.from({ length: PROCESSES }, () => task))
        expect(refundsAt(paid.reference)).toHaveLength(1)
        expect(summaries).toEqual(
          Array.from({ length: PROCESSES }, () => ({ reference: `${paid.reference}-r1`, code: null })),
        )
        expect(await billing.payments.get(paid.id)).toMatchObject({
          amount_refunded: 500000,
          refunds: [{ status: 'pending', idempotency_key: 'ticket-42' }],
        })
      }, 120_000)
    },
  )
}
