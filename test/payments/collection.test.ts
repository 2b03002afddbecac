import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { inspect } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { paystackGateway } from '../../src/gateways/paystack/index.js'
import { type Billing, GatewayError, SignatureVerificationError } from '../../src/index.js'
import { memoryTarget, type StoreConfig, sqliteTarget } from '../support/targets.js'
import {
  billingOn,
  DAY,
  type Fakes,
  FLW_KEY,
  invoicesOf,
  JAN,
  PAYSTACK_KEY,
  startFakes,
  subscribed,
} from './payment-fixture.js'

// Collection through both gateways' fakes, end to end through createBilling, on the memory store
// and on SQLite (whose file is then searched for the secret keys).
for (const target of [memoryTarget, sqliteTarget]) {
  describe(`collecting invoices on ${target.name}`, () => {
    let fakes: Fakes
    let config: StoreConfig
    let destroy: () => Promise<void>
    let billing: Billing
    let setNow: (ms: number) => void
    let n = 0
    const ns = () => `t${++n}_${Math.random().toString(36).slice(2, 6)}`

    beforeAll(async () => {
      fakes = await startFakes()
      const store = await target.fresh()
      config = store.config
      destroy = store.destroy
      ;({ billing, setNow } = await billingOn(config, fakes.urls))
    })
    afterAll(async () => {
      await billing?.close()
      await fakes?.close()
      await destroy?.()
    })

    it('charges the opening invoice through Paystack and marks it paid', async () => {
      const card = fakes.paystack.addCard({ email: 'ada@example.com', behaviour: 'approve' })
      const { customer } = await subscribed(billing, ns(), 'paystack', card, 'ada@example.com')
      setNow(JAN + 60_000)
      const tick = await billing.tick()
      const [invoice] = await invoicesOf(billing, customer)
      expect(invoice).toMatchObject({ status: 'paid', amount_paid: 500000, attempt_count: 1 })
      const [payment] = tick.payments.filter((p) => p.invoice_id === invoice!.id)
      expect(payment).toMatchObject({ status: 'succeeded', amount: 500000, currency: 'NGN', attempt: 1 })
      expect(fakes.paystack.successfulCharges(payment!.reference)).toBe(1)
      expect((await billing.payments.list({ invoice_id: invoice!.id })).data).toHaveLength(1)
    })

    it('retries a declined card 1 and 3 days after the first failure, then reactivates the subscription', async () => {
      const card = fakes.paystack.addCard({
        email: 'bola@example.com',
        behaviour: { kind: 'insufficient_funds_then_approve', after: 2 },
      })
      const { customer, subscription } = await subscribed(billing, ns(), 'paystack', card, 'bola@example.com')
      setNow(JAN + 60_000)
      await billing.tick()
      let [invoice] = await invoicesOf(billing, customer)
      expect(invoice).toMatchObject({
        status: 'open',
        attempt_count: 1,
        next_payment_attempt: new Date(JAN + 60_000 + DAY).toISOString(),
      })
      expect((await billing.subscriptions.get(subscription)).status).toBe('past_due')
      setNow(JAN + 60_000 + DAY)
      await billing.tick()
      setNow(JAN + 60_000 + 2 * DAY)
      expect((await billing.tick()).payments).toEqual([])
      setNow(JAN + 60_000 + 3 * DAY)
      await billing.tick()
      ;[invoice] = await invoicesOf(billing, customer)
      expect(invoice).toMatchObject({ status: 'paid', attempt_count: 3 })
      const payments = (await billing.payments.list({ invoice_id: invoice!.id })).data
      expect(payments.map((p) => p.status)).toEqual(['failed', 'failed', 'succeeded'])
      expect(payments[0]!.failure_message).toMatch(/insufficient/i)
      expect((await billing.subscriptions.get(subscription)).status).toBe('active')
    })

    it('after the last retry fails: uncollectible and paused; a later payment reactivates', async () => {
      const card = fakes.paystack.addCard({
        email: 'chi@example.com',
        behaviour: { kind: 'decline', reason: 'Do Not Honor' },
      })
      const { customer, subscription } = await subscribed(billing, ns(), 'paystack', card, 'chi@example.com')
      for (const day of [0, 1, 3, 5, 7]) {
        setNow(JAN + 60_000 + day * DAY)
        await billing.tick()
      }
      let [invoice] = await invoicesOf(billing, customer)
      expect(invoice).toMatchObject({ status: 'uncollectible', attempt_count: 5, next_payment_attempt: null })
      expect((await billing.subscriptions.get(subscription)).status).toBe('paused')
      setNow(JAN + 10 * DAY)
      expect((await billing.tick()).payments.filter((p) => p.customer_id === customer)).toEqual([])

      const good = fakes.paystack.addCard({ email: 'chi@example.com', behaviour: 'approve' })
      await billing.paymentMethods.attach({
        customer_id: customer,
        gateway: 'paystack',
        authorization_code: good,
        email: 'chi@example.com',
      })
      const paid = await billing.payments.collect({ invoice_id: invoice!.id })
      expect(paid).toMatchObject({ status: 'succeeded', attempt: 6 })
      ;[invoice] = await invoicesOf(billing, customer)
      expect(invoice!.status).toBe('paid')
      expect((await billing.subscriptions.get(subscription)).status).toBe('active')
    })

    it('a charge whose response is lost is verified by reference: exactly one charge, invoice paid', async () => {
      const card = fakes.paystack.addCard({ email: 'dayo@example.com', behaviour: 'approve' })
      const { customer } = await subscribed(billing, ns(), 'paystack', card, 'dayo@example.com')
      setNow(JAN + 60_000)
      await billing.invoices.run()
      const [invoice] = await invoicesOf(billing, customer)
      fakes.paystack.dropNextChargeResponse()
      const payment = await billing.payments.collect({ invoice_id: invoice!.id })
      expect(payment?.status).toBe('succeeded')
      expect(fakes.paystack.successfulCharges(payment!.reference)).toBe(1)
      expect(
        fakes.paystack.charges.filter((c) => c.reference.startsWith(payment!.reference.slice(0, -2))),
      ).toHaveLength(1)
      expect((await invoicesOf(billing, customer))[0]!.status).toBe('paid')
    })

    it('applies a webhook once however often it is delivered, refuses bad signatures, ignores strangers', async () => {
      const card = fakes.flutterwave.addCard({ email: 'eze@example.com', behaviour: 'pending_3ds' })
      const { customer } = await subscribed(billing, ns(), 'flutterwave', card, 'eze@example.com')
      setNow(JAN + 60_000)
      const first = await billing.tick()
      const pending = first.payments.find((p) => p.customer_id === customer)!
      expect(pending.status).toBe('pending')
      fakes.flutterwave.settle(pending.reference, 'succeeded')

      const forged = fakes.flutterwave.signedWebhook(fakes.flutterwave.chargeEvent(pending.reference))
      await expect(
        billing.webhooks.handle({
          gateway: 'flutterwave',
          raw_body: forged.rawBody,
          headers: { ...forged.headers, 'verif-hash': 'not-the-hash' },
        }),
      ).rejects.toBeInstanceOf(SignatureVerificationError)
      expect((await invoicesOf(billing, customer))[0]!.status).toBe('open')

      const outcomes = []
      for (const shape of ['v3', 'legacy', 'v3', 'legacy', 'v3'] as const) {
        const { rawBody, headers } = fakes.flutterwave.signedWebhook(
          fakes.flutterwave.chargeEvent(pending.reference, { shape }),
        )
        outcomes.push(
          (await billing.webhooks.handle({ gateway: 'flutterwave', raw_body: rawBody, headers })).status,
        )
      }
      expect(outcomes).toEqual(['applied', 'duplicate', 'duplicate', 'duplicate', 'duplicate'])
      const payments = (await billing.payments.list({ customer_id: customer })).data
      expect(payments.map((p) => p.status)).toEqual(['succeeded'])
      expect((await invoicesOf(billing, customer))[0]).toMatchObject({ status: 'paid', amount_paid: 500000 })

      const stranger = fakes.paystack.firstPayment({
        email: 'x@example.com',
        amount: 10_000,
        currency: 'NGN',
      })
      const { rawBody, headers } = fakes.paystack.signedWebhook(
        fakes.paystack.chargeEvent(stranger.reference),
      )
      expect(
        await billing.webhooks.handle({ gateway: 'paystack', raw_body: rawBody, headers }),
      ).toMatchObject({
        status: 'ignored',
        reason: 'unknown reference',
      })
    })

    it('a webhook racing the charge response records one payment', async () => {
      const card = fakes.paystack.addCard({ email: 'femi@example.com', behaviour: 'approve' })
      const { customer } = await subscribed(billing, ns(), 'paystack', card, 'femi@example.com')
      setNow(JAN + 60_000)
      await billing.invoices.run()
      const [invoice] = await invoicesOf(billing, customer)
      fakes.paystack.dropNextChargeResponse()
      const reference = `kbm-${invoice!.id.replace(/[^A-Za-z0-9]/g, '-')}-1`
      const webhook = (async () => {
        while (fakes.paystack.transaction(reference) === undefined) await new Promise((r) => setTimeout(r, 1))
        const { rawBody, headers } = fakes.paystack.signedWebhook(fakes.paystack.chargeEvent(reference))
        return billing.webhooks.handle({ gateway: 'paystack', raw_body: rawBody, headers })
      })()
      const [payment, delivered] = await Promise.all([
        billing.payments.collect({ invoice_id: invoice!.id }),
        webhook,
      ])
      expect(payment?.status).toBe('succeeded')
      expect(['applied', 'duplicate']).toContain(delivered.status)
      expect(fakes.paystack.successfulCharges(reference)).toBe(1)
      expect((await billing.payments.list({ invoice_id: invoice!.id })).data).toHaveLength(1)
      expect((await invoicesOf(billing, customer))[0]).toMatchObject({ status: 'paid', amount_paid: 500000 })
    })

    it('refuses a successful webhook whose amount differs from the attempt, and refunds through the gateway', async () => {
      const card = fakes.paystack.addCard({ email: 'gbenga@example.com', behaviour: 'approve' })
      const { customer } = await subscribed(billing, ns(), 'paystack', card, 'gbenga@example.com')
      setNow(JAN + 60_000)
      await billing.invoices.run()
      const [invoice] = await invoicesOf(billing, customer)
      fakes.paystack.failNext(5, { status: 500, path: '/transaction' })
      const unknown = await billing.payments.collect({ invoice_id: invoice!.id })
      expect(unknown?.status).toBe('processing')
      const event = {
        event: 'charge.success',
        data: {
          reference: unknown!.reference,
          status: 'success',
          amount: 100,
          currency: 'NGN',
          id: 1,
          gateway_response: 'Approved',
        },
      }
      const { rawBody, headers } = fakes.paystack.signedWebhook(event)
      const outcome = await billing.webhooks.handle({ gateway: 'paystack', raw_body: rawBody, headers })
      expect(outcome.reason).toMatch(/expected 500000 NGN/)
      expect((await invoicesOf(billing, customer))[0]!.status).toBe('open')

      const card2 = fakes.paystack.addCard({ email: 'gbenga@example.com', behaviour: 'approve' })
      const customer2 = (await subscribed(billing, ns(), 'paystack', card2, 'gbenga@example.com')).customer
      await billing.invoices.run()
      const paid = await billing.payments.collect({
        invoice_id: (await invoicesOf(billing, customer2))[0]!.id,
      })
      const refunded = await billing.payments.refund({ payment_id: paid!.id, amount: 200000 })
      expect(refunded).toMatchObject({
        amount_refunded: 200000,
        refunds: [{ amount: 200000, status: 'pending' }],
      })
      await expect(billing.payments.refund({ payment_id: paid!.id, amount: 400000 })).rejects.toMatchObject({
        code: 'INVALID_REFUND',
      })
    })

    it('attaches a card from a first payment only when the gateway marks it reusable', async () => {
      const customer = `${ns()}_first`
      await billing.customers.create({ id: customer, email: 'ify@example.com' })
      const reusable = fakes.paystack.firstPayment({
        email: 'ify@example.com',
        amount: 5000,
        currency: 'NGN',
      })
      const method = await billing.paymentMethods.attachFromTransaction({
        customer_id: customer,
        gateway: 'paystack',
        reference: reusable.reference,
      })
      expect(method).toMatchObject({ customer_id: customer, gateway: 'paystack', email: 'ify@example.com' })
      expect(JSON.stringify(method)).not.toContain(reusable.authorization)
      const once = fakes.paystack.firstPayment({
        email: 'ify@example.com',
        amount: 5000,
        currency: 'NGN',
        reusable: false,
      })
      await expect(
        billing.paymentMethods.attachFromTransaction({
          customer_id: customer,
          gateway: 'paystack',
          reference: once.reference,
        }),
      ).rejects.toMatchObject({ code: 'NOT_REUSABLE' })
      const flw = fakes.flutterwave.firstPayment({ email: 'ify@example.com', amount: 5000, currency: 'NGN' })
      await billing.paymentMethods.attachFromTransaction({
        customer_id: customer,
        gateway: 'flutterwave',
        reference: flw.reference,
      })
      expect((await billing.paymentMethods.list({ customer_id: customer })).map((m) => m.gateway)).toEqual([
        'paystack',
        'flutterwave',
      ])
      await billing.paymentMethods.detach(method.id)
      expect((await billing.paymentMethods.list({ customer_id: customer })).map((m) => m.gateway)).toEqual([
        'flutterwave',
      ])
    })

    it('never lets a secret key reach errors or stored rows', async () => {
      const wrong = paystackGateway({
        secretKey: `${PAYSTACK_KEY}-wrong`,
        baseUrl: fakes.urls.paystack,
        maxRetries: 0,
      })
      const error = await wrong.verify('kbm-anything-1', 'NGN').catch((e: unknown) => e)
      expect(error).toBeInstanceOf(GatewayError)
      for (const text of [String(error), JSON.stringify(error), inspect(error, { depth: 10 })]) {
        expect(text).not.toContain(PAYSTACK_KEY)
      }
      if (config.kind === 'sqlite') {
        const dir = dirname(config.filename)
        for (const file of readdirSync(dir)) {
          const bytes = readFileSync(join(dir, file)).toString('latin1')
          expect(bytes.includes(PAYSTACK_KEY), file).toBe(false)
          expect(bytes.includes(FLW_KEY), file).toBe(false)
        }
      }
    })
  })
}
