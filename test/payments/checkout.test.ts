import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryTarget, sqliteTarget } from '../support/targets.js'
import { DAY, type Fakes, freshBilling, invoicesOf, JAN, startFakes, subscribed } from './payment-fixture.js'

const CALLBACK = 'https://app.example.ng/billing/paid'

// Checkout pages confirmed by `tick` (no webhook), declined or abandoned pages that never start
// dunning, and a gateway that refuses to open a page.
for (const target of [memoryTarget, sqliteTarget]) {
  describe(`checkout on ${target.name}`, () => {
    let fakes: Fakes
    beforeAll(async () => {
      fakes = await startFakes()
    })
    afterAll(async () => {
      await fakes?.close()
    })

    it('tick confirms a paid page without any webhook, then charges the next invoice with its card', async () => {
      const { billing, setNow, close } = await freshBilling(target, fakes.urls)
      const { customer } = await subscribed(billing, 'tickco', 'paystack', null, 'ada@example.com')
      setNow(JAN + 60_000)
      expect((await billing.tick()).skipped).toEqual([expect.objectContaining({ code: 'NO_PAYMENT_METHOD' })])
      const [invoice] = await invoicesOf(billing, customer)
      const link = await billing.checkout.create({
        invoice_id: invoice!.id,
        gateway: 'paystack',
        callback_url: CALLBACK,
      })
      // Not paid yet: Paystack says `abandoned`; the page stays open and nothing is dunned.
      setNow(JAN + 120_000)
      const idle = await billing.tick()
      expect(idle.payments).toEqual([])
      expect(await billing.invoices.get(invoice!.id)).toMatchObject({
        status: 'open',
        next_payment_attempt: null,
      })
      expect((await billing.payments.get(link.payment_id)).status).toBe('pending')

      expect((await fakes.paystack.completeCheckout(link.reference)).webhook_status).toBeUndefined()
      setNow(JAN + 180_000)
      const confirmed = await billing.tick()
      expect(confirmed.payments).toEqual([
        expect.objectContaining({ id: link.payment_id, status: 'succeeded' }),
      ])
      expect((await billing.invoices.get(invoice!.id)).status).toBe('paid')
      const [method] = await billing.paymentMethods.list({ customer_id: customer })
      expect(method?.id).toBe(confirmed.payments[0]?.payment_method_id)

      setNow(Date.UTC(2027, 1, 1, 2))
      const next = await billing.tick()
      expect(next.payments).toEqual([
        expect.objectContaining({ status: 'succeeded', payment_method_id: method?.id, attempt: 1 }),
      ])
      expect((await invoicesOf(billing, customer)).map((i) => i.status)).toEqual(['paid', 'paid'])
      await close()
    })

    it('a declined page (Flutterwave charge.completed failed) leaves the link open and undunned; paying it again settles', async () => {
      const { billing, setNow, close } = await freshBilling(target, fakes.urls)
      const { customer, subscription } = await subscribed(
        billing,
        'declco',
        'flutterwave',
        null,
        'eze@example.com',
      )
      setNow(JAN + 60_000)
      await billing.invoices.run()
      const [invoice] = await invoicesOf(billing, customer)
      const link = await billing.checkout.create({
        invoice_id: invoice!.id,
        gateway: 'flutterwave',
        callback_url: CALLBACK,
      })
      const declined = await fakes.flutterwave.completeCheckout(link.reference, {
        behaviour: { kind: 'decline', reason: 'Insufficient Funds' },
      })
      expect(declined.status).toBe('failed')
      const failedEvent = fakes.flutterwave.signedWebhook(fakes.flutterwave.chargeEvent(link.reference))
      const outcome = await billing.webhooks.handle({
        gateway: 'flutterwave',
        raw_body: failedEvent.rawBody,
        headers: failedEvent.headers,
      })
      expect(outcome).toMatchObject({ status: 'duplicate', payment: { status: 'pending' } })
      expect(await billing.invoices.get(invoice!.id)).toMatchObject({
        status: 'open',
        next_payment_attempt: null,
      })
      expect((await billing.subscriptions.get(subscription)).status).toBe('active')
      expect(
        await billing.checkout.create({
          invoice_id: invoice!.id,
          gateway: 'flutterwave',
          callback_url: CALLBACK,
        }),
      ).toEqual(link)

      await fakes.flutterwave.completeCheckout(link.reference)
      const paid = fakes.flutterwave.signedWebhook(fakes.flutterwave.chargeEvent(link.reference))
      const applied = await billing.webhooks.handle({
        gateway: 'flutterwave',
        raw_body: paid.rawBody,
        headers: paid.headers,
      })
      expect(applied).toMatchObject({ status: 'applied', payment: { status: 'succeeded' } })
      expect((await billing.invoices.get(invoice!.id)).status).toBe('paid')
      expect(await billing.paymentMethods.list({ customer_id: customer })).toHaveLength(1)
      await close()
    })

    it('a page the gateway refuses to open throws its GatewayError, leaves nothing open, and the next call starts afresh', async () => {
      const { billing, setNow, close } = await freshBilling(target, fakes.urls)
      const { customer } = await subscribed(billing, 'refco', 'paystack', null, 'funke@example.com')
      setNow(JAN + 60_000)
      await billing.invoices.run()
      const [invoice] = await invoicesOf(billing, customer)
      const input = { invoice_id: invoice!.id, gateway: 'paystack', callback_url: CALLBACK }
      fakes.paystack.failNext(1, { status: 500, path: '/transaction/initialize' })
      await expect(billing.checkout.create(input)).rejects.toMatchObject({
        name: 'GatewayError',
        retryable: true,
      })
      const [closed] = (await billing.payments.list({ invoice_id: invoice!.id })).data
      expect(closed).toMatchObject({ method: 'checkout', status: 'failed', attempt: 1 })
      const link = await billing.checkout.create(input)
      expect(link.reference).not.toBe(closed?.reference)
      expect(await billing.invoices.get(invoice!.id)).toMatchObject({ status: 'open', attempt_count: 0 })
      setNow(JAN + DAY)
      await fakes.paystack.completeCheckout(link.reference)
      expect((await billing.checkout.verify({ reference: link.reference })).status).toBe('succeeded')
      await close()
    })

    it('no link while a card charge is unresolved (PAYMENT_IN_PROGRESS), nor for a customer without an email', async () => {
      const { billing, setNow, close } = await freshBilling(target, fakes.urls)
      const card = fakes.flutterwave.addCard({ email: 'obi@example.com', behaviour: 'pending_3ds' })
      const { customer } = await subscribed(billing, 'busyco', 'flutterwave', card, 'obi@example.com')
      setNow(JAN + 60_000)
      expect((await billing.tick()).payments[0]?.status).toBe('pending')
      const [invoice] = await invoicesOf(billing, customer)
      const input = { invoice_id: invoice!.id, gateway: 'flutterwave', callback_url: CALLBACK }
      await expect(billing.checkout.create(input)).rejects.toMatchObject({
        name: 'ConflictError',
        code: 'PAYMENT_IN_PROGRESS',
      })

      await billing.customers.create({ id: 'noemail' })
      await billing.subscriptions.create({ customer_id: 'noemail', plan_code: 'busyco_plan', start_at: JAN })
      await billing.invoices.run()
      const [bare] = await invoicesOf(billing, 'noemail')
      await expect(billing.checkout.create({ ...input, invoice_id: bare!.id })).rejects.toMatchObject({
        name: 'ValidationError',
        details: { path: 'email' },
      })
      const link = await billing.checkout.create({
        ...input,
        invoice_id: bare!.id,
        email: 'bare@example.com',
      })
      expect(link.url).toContain('/checkout/')
      await close()
    })
  })
}
