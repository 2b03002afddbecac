import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { inspect } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GatewayError } from '../../src/index.js'
import { expectNoEcho, secretEchoes } from '../gateways/conformance-harness.js'
import { memoryTarget, sqliteTarget } from '../support/targets.js'
import {
  DAY,
  type Fakes,
  FLW_KEY,
  freshBilling,
  invoicesOf,
  JAN,
  PAYSTACK_KEY,
  startFakes,
  subscribed,
} from './payment-fixture.js'

// A merchant-side failure (a revoked key, a disabled account) says nothing about any customer:
// no attempt is counted, no dunning runs, no invoice or subscription changes.
for (const target of [memoryTarget, sqliteTarget]) {
  describe(`merchant errors and secrets on ${target.name}`, () => {
    let fakes: Fakes
    beforeAll(async () => {
      fakes = await startFakes()
    })
    afterAll(async () => {
      await fakes?.close()
    })

    it('a revoked key pauses nobody: tick reports it once, stops calling that gateway, and collects once fixed', async () => {
      const { billing, setNow, close } = await freshBilling(target, fakes.urls)
      const subs: Array<{ customer: string; subscription: string }> = []
      for (const name of ['ada', 'bola']) {
        const card = fakes.paystack.addCard({ email: `${name}@example.com` })
        subs.push(await subscribed(billing, name, 'paystack', card, `${name}@example.com`))
      }
      const flwCard = fakes.flutterwave.addCard({ email: 'chi@example.com' })
      const other = await subscribed(billing, 'chi', 'flutterwave', flwCard, 'chi@example.com')
      fakes.paystack.revokeKey()
      try {
        setNow(JAN + 60_000)
        const before = fakes.paystack.requests.length
        const tick = await billing.tick()
        expect(tick.gateway_errors).toEqual([
          {
            gateway: 'paystack',
            code: 'GATEWAY_MERCHANT_ERROR',
            gateway_code: 'unauthorized',
            message: 'paystack: Invalid key',
          },
        ])
        expect(fakes.paystack.requests.length - before).toBe(1)
        expect(tick.skipped.map((s) => s.code)).toEqual(['GATEWAY_MERCHANT_ERROR', 'GATEWAY_MERCHANT_ERROR'])
        expect((await invoicesOf(billing, other.customer))[0]!.status).toBe('paid')

        const [invoice] = await invoicesOf(billing, subs[0]!.customer)
        const error = await billing.payments.collect({ invoice_id: invoice!.id }).catch((e: unknown) => e)
        expect(error).toBeInstanceOf(GatewayError)
        expect(error).toMatchObject({
          code: 'GATEWAY_MERCHANT_ERROR',
          gateway_code: 'unauthorized',
          http_status: 401,
        })

        for (const day of [1, 3, 5, 8]) {
          setNow(JAN + 60_000 + day * DAY)
          expect((await billing.tick()).gateway_errors).toHaveLength(1)
        }
        for (const { customer, subscription } of subs) {
          expect((await invoicesOf(billing, customer))[0]).toMatchObject({
            status: 'open',
            attempt_count: 0,
            next_payment_attempt: null,
          })
          expect((await billing.subscriptions.get(subscription)).status).toBe('active')
        }
      } finally {
        fakes.paystack.restoreKey()
      }
      const fixed = await billing.tick()
      expect(fixed.gateway_errors).toEqual([])
      for (const { customer } of subs) {
        const [invoice] = await invoicesOf(billing, customer)
        expect(invoice).toMatchObject({ status: 'paid', attempt_count: 1 })
        const payments = (await billing.payments.list({ invoice_id: invoice!.id })).data
        expect(payments.map((p) => [p.attempt, p.status])).toEqual([[1, 'succeeded']])
        expect(fakes.paystack.successfulCharges(payments[0]!.reference)).toBe(1)
      }
      await close()
    })

    it('no spelling of a key a provider echoes reaches an error, a payment or the database', async () => {
      const { billing, setNow, config, close } = await freshBilling(target, fakes.urls)
      const outcomes: unknown[] = []
      for (const [gateway, secret] of [
        ['paystack', PAYSTACK_KEY],
        ['flutterwave', FLW_KEY],
      ] as const) {
        const fake = fakes[gateway]
        const echo = secretEchoes(secret).join(' | ')
        const body =
          gateway === 'paystack'
            ? { status: false, message: echo, code: echo, data: { echo } }
            : { status: 'error', message: `Invalid token ${echo}`, data: null }
        for (const [name, status] of [
          [`${gateway}-declined`, 400],
          [`${gateway}-refused`, 401],
        ] as const) {
          const card = fake.addCard({ email: `${name}@example.com` })
          const { customer } = await subscribed(billing, name, gateway, card, `${name}@example.com`)
          setNow(JAN + 60_000)
          await billing.invoices.run()
          const [invoice] = await invoicesOf(billing, customer)
          fake.failNext(1, { status, body, path: gateway === 'paystack' ? '/transaction' : '/v3/tokenized' })
          outcomes.push(await billing.payments.collect({ invoice_id: invoice!.id }).catch((e: unknown) => e))
          outcomes.push(...(await billing.payments.list({ customer_id: customer })).data)
        }
        for (const outcome of outcomes) {
          for (const text of [String(outcome), JSON.stringify(outcome), inspect(outcome, { depth: 10 })]) {
            expectNoEcho(text, secret)
          }
        }
        expect(outcomes.some((o) => o instanceof GatewayError && o.code === 'GATEWAY_MERCHANT_ERROR')).toBe(
          true,
        )
        expect(outcomes.some((o) => (o as { status?: string }).status === 'failed')).toBe(true)
        if (config.kind === 'sqlite') {
          const dir = dirname(config.filename)
          // The key's distinctive tail, in any case; its head ("kobometer_") names the tables too.
          const tail = secret.slice(-12).toLowerCase()
          for (const file of readdirSync(dir)) {
            const bytes = readFileSync(join(dir, file)).toString('latin1').toLowerCase()
            expect(bytes.includes(tail), file).toBe(false)
          }
        }
      }
      await close()
    })
  })
}
