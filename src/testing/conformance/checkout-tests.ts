import { afterAll, beforeAll, describe, expect } from 'vitest'
import type { Invoice } from '../../core/invoices/types.js'
import { billingFixture } from './billing-fixtures.js'
import { type CheckoutHarness, checkoutHarness } from './checkout-fixture.js'
import type { ConformanceContext } from './context.js'

const JUNE = '2026-06-01'
const JUNE_RUN = Date.parse(`${JUNE}T00:01:00Z`)
// Past the hour drafts stay open for late events: the July invoice is final.
const JULY_RUN = Date.parse('2026-07-01T01:02:00Z')
const CALLBACK = 'https://app.example.ng/billing/paid'

/** Hosted checkout links (`checkout.create`) paid by webhook or verify, on every storage. */
export function checkoutTests(t: ConformanceContext): void {
  const { it } = t
  describe('checkout links', () => {
    let h: CheckoutHarness
    beforeAll(async () => {
      h = await checkoutHarness(t, JUNE_RUN)
    })
    afterAll(async () => {
      await h?.close()
    })

    // A ₦5,000 monthly fee billed at the start, for a customer with no payment method: one open invoice.
    async function openInvoice(label: string) {
      const f = await billingFixture(t, label)
      const plan = await f.plan('fee', {
        name: 'Fee',
        currency: 'NGN',
        interval: 'month',
        fixed_amount: '500000',
      })
      const { customer, sub } = await f.subscribe('a', plan, JUNE)
      const { created } = await f.run(JUNE_RUN)
      h.setNow(JUNE_RUN)
      const invoice = created.find((i) => i.customer_id === customer) as Invoice
      expect(invoice).toMatchObject({ status: 'open', amount_due: 500000, amount_paid: 0 })
      return { f, invoice, customer, sub: sub.id }
    }

    it('a Paystack link paid by the customer: the webhook pays the invoice, the card becomes the default and pays the next invoice; a redelivery changes nothing', async () => {
      const { f, invoice, customer, sub } = await openInvoice('coweb')
      const { billing, paystack } = h
      await expect(billing.payments.collect({ invoice_id: invoice.id })).rejects.toMatchObject({
        code: 'NO_PAYMENT_METHOD',
      })
      const link = await billing.checkout.create({
        invoice_id: invoice.id,
        gateway: 'paystack',
        callback_url: CALLBACK,
      })
      expect(link.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/checkout\/[0-9a-f]+$/)
      expect(await billing.payments.get(link.payment_id)).toMatchObject({
        method: 'checkout',
        status: 'pending',
        amount: 500000,
        reference: link.reference,
        checkout_url: link.url,
        payment_method_id: null,
      })

      const paid = await paystack.completeCheckout(link.reference)
      expect(paid).toMatchObject({ status: 'succeeded', webhook_status: 200 })
      expect(new URL(paid.redirect_url ?? '').searchParams.get('reference')).toBe(link.reference)
      const settled = await billing.invoices.get(invoice.id)
      expect(settled).toMatchObject({ status: 'paid', amount_paid: 500000 })
      const payment = await billing.payments.get(link.payment_id)
      expect(payment.status).toBe('succeeded')
      const methods = await billing.paymentMethods.list({ customer_id: customer })
      expect(methods).toHaveLength(1)
      expect(methods[0]).toMatchObject({
        id: payment.payment_method_id,
        gateway: 'paystack',
        email: 'a@example.ng',
      })
      expect(methods[0]?.card?.last4).toMatch(/^\d{4}$/)

      // Days later Paystack delivers the same event again.
      h.setNow(JUNE_RUN + 3 * 86_400_000)
      expect(
        await paystack.sendWebhook(paystack.webhookUrl ?? '', paystack.chargeEvent(link.reference)),
      ).toBe(200)
      const { rawBody, headers } = paystack.signedWebhook(paystack.chargeEvent(link.reference))
      expect(
        await billing.webhooks.handle({ gateway: 'paystack', raw_body: rawBody, headers }),
      ).toMatchObject({
        status: 'duplicate',
      })
      expect(await billing.invoices.get(invoice.id)).toEqual(settled)
      expect(await billing.payments.get(link.payment_id)).toEqual(payment)
      expect(await billing.paymentMethods.list({ customer_id: customer })).toEqual(methods)
      expect(await billing.checkout.verify({ reference: link.reference })).toEqual(payment)

      const { created } = await f.run(JULY_RUN)
      h.setNow(JULY_RUN)
      const next = created.find((i) => i.subscription_id === sub) as Invoice
      const charged = await billing.payments.collect({ invoice_id: next.id })
      expect(charged).toMatchObject({ status: 'succeeded', payment_method_id: payment.payment_method_id })
      expect(charged?.method).toBeUndefined()
      expect((await billing.invoices.get(next.id)).status).toBe('paid')
    })

    it('a Flutterwave link confirmed by checkout.verify alone, without a webhook', async () => {
      const { invoice, customer } = await openInvoice('coverify')
      const { billing, flutterwave } = h
      const link = await billing.checkout.create({
        invoice_id: invoice.id,
        gateway: 'flutterwave',
        callback_url: CALLBACK,
      })
      expect((await billing.checkout.verify({ reference: link.reference })).status).toBe('pending')
      const webhookUrl = flutterwave.webhookUrl
      flutterwave.webhookUrl = null
      try {
        const page = await fetch(link.url, { method: 'POST' })
        expect(page.status).toBe(200)
      } finally {
        flutterwave.webhookUrl = webhookUrl
      }
      expect((await billing.invoices.get(invoice.id)).status).toBe('open')
      const payment = await billing.checkout.verify({ reference: link.reference })
      expect(payment).toMatchObject({ status: 'succeeded', gateway: 'flutterwave', amount: 500000 })
      expect(await billing.invoices.get(invoice.id)).toMatchObject({ status: 'paid', amount_paid: 500000 })
      const methods = await billing.paymentMethods.list({ customer_id: customer })
      expect(methods.map((m) => m.id)).toEqual([payment.payment_method_id])
      expect(await billing.checkout.verify({ reference: link.reference })).toEqual(payment)
    })

    it('asking twice while the page is open answers one pending payment and the same url', async () => {
      const { invoice } = await openInvoice('cotwice')
      const input = { invoice_id: invoice.id, gateway: 'paystack', callback_url: CALLBACK }
      const first = await h.billing.checkout.create(input)
      const again = await Promise.all([h.billing.checkout.create(input), h.billing.checkout.create(input)])
      expect(again).toEqual([first, first])
      const { data } = await h.billing.payments.list({ invoice_id: invoice.id })
      expect(data.map((p) => [p.method, p.status])).toEqual([['checkout', 'pending']])
    })

    it('a late payment on the page after the invoice was paid another way is recorded, never paid twice', async () => {
      const { invoice } = await openInvoice('colate')
      const { billing, paystack } = h
      const link = await billing.checkout.create({
        invoice_id: invoice.id,
        gateway: 'paystack',
        callback_url: CALLBACK,
      })
      await billing.payments.recordOffline({
        invoice_id: invoice.id,
        amount: 500000,
        method: 'bank_transfer',
        reference: `${invoice.id}-FT`,
      })
      const paid = await billing.invoices.get(invoice.id)
      await paystack.completeCheckout(link.reference)
      expect(await billing.invoices.get(invoice.id)).toEqual(paid)
      expect((await billing.payments.get(link.payment_id)).status).toBe('succeeded')
    })

    it('only an open invoice gets a link: INVOICE_NOT_OPEN, NOT_FOUND, GATEWAY_NOT_CONFIGURED, a bad callback_url', async () => {
      const { invoice } = await openInvoice('cobad')
      const { billing } = h
      const base = { invoice_id: invoice.id, gateway: 'paystack', callback_url: CALLBACK }
      await expect(billing.checkout.create({ ...base, gateway: 'stripe' })).rejects.toMatchObject({
        code: 'GATEWAY_NOT_CONFIGURED',
        details: { path: 'gateway' },
      })
      for (const callback_url of ['/billing/paid', 'ftp://app.example.ng/x', 'javascript:alert(1)', '']) {
        await expect(billing.checkout.create({ ...base, callback_url })).rejects.toMatchObject({
          name: 'ValidationError',
          details: { path: 'callback_url' },
        })
      }
      await expect(
        billing.checkout.create({ ...base, invoice_id: `${invoice.id}_none` }),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
      })
      await expect(billing.checkout.verify({ reference: `${invoice.id}-nothing` })).rejects.toMatchObject({
        name: 'NotFoundError',
      })
      await billing.invoices.void(invoice.id)
      await expect(billing.checkout.create(base)).rejects.toMatchObject({
        name: 'ConflictError',
        code: 'INVOICE_NOT_OPEN',
        details: { status: 'void' },
      })
      const other = await openInvoice('copaid')
      await billing.payments.recordOffline({
        invoice_id: other.invoice.id,
        amount: 500000,
        method: 'cash',
        reference: `${other.invoice.id}-C`,
      })
      await expect(billing.checkout.create({ ...base, invoice_id: other.invoice.id })).rejects.toMatchObject({
        code: 'INVOICE_NOT_OPEN',
        details: { status: 'paid' },
      })
      expect((await billing.payments.list({ invoice_id: invoice.id })).data).toEqual([])
    })
  })
}
