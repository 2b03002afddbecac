import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryTarget, sqliteTarget } from '../support/targets.js'
import { DAY, type Fakes, freshBilling, invoicesOf, JAN, startFakes, subscribed } from './payment-fixture.js'

// Webhooks find what they are about: a charge by its reference, whatever shape Flutterwave uses,
// and a refund by the gateway's refund id, however often and late an event is delivered again.
for (const target of [memoryTarget, sqliteTarget]) {
  describe(`webhook matching on ${target.name}`, () => {
    let fakes: Fakes
    beforeAll(async () => {
      fakes = await startFakes()
    })
    afterAll(async () => {
      await fakes?.close()
    })

    it("a 3-D Secure failure arrives by Flutterwave's documented charge.completed body and starts dunning at once", async () => {
      const { billing, setNow, close } = await freshBilling(target, fakes.urls)
      const card = fakes.flutterwave.addCard({ email: 'eze@example.com', behaviour: 'pending_3ds' })
      const { customer, subscription } = await subscribed(
        billing,
        'tds',
        'flutterwave',
        card,
        'eze@example.com',
      )
      setNow(JAN + 60_000)
      const [pending] = (await billing.tick()).payments
      expect(pending?.status).toBe('pending')
      fakes.flutterwave.settle(pending!.reference, 'failed')
      const event = fakes.flutterwave.chargeEvent(pending!.reference)
      expect(event['event.type']).toBe('CARD_TRANSACTION')
      const { rawBody, headers } = fakes.flutterwave.signedWebhook(event)
      const outcome = await billing.webhooks.handle({ gateway: 'flutterwave', raw_body: rawBody, headers })
      expect(outcome).toMatchObject({
        status: 'applied',
        event: 'charge.completed',
        payment: { status: 'failed' },
      })
      expect((await invoicesOf(billing, customer))[0]).toMatchObject({
        status: 'open',
        attempt_count: 1,
        next_payment_attempt: new Date(JAN + 60_000 + DAY).toISOString(),
      })
      expect((await billing.subscriptions.get(subscription)).status).toBe('past_due')
      await close()
    })

    it('a redelivered refund.failed never settles a later refund of the same amount', async () => {
      const { billing, setNow, close } = await freshBilling(target, fakes.urls)
      const card = fakes.paystack.addCard({ email: 'funke@example.com' })
      const { customer } = await subscribed(billing, 'refund', 'paystack', card, 'funke@example.com')
      setNow(JAN + 60_000)
      const [paid] = (await billing.tick()).payments
      expect(paid?.status).toBe('succeeded')
      const deliver = async (event: unknown) => {
        const { rawBody, headers } = fakes.paystack.signedWebhook(event)
        return billing.webhooks.handle({ gateway: 'paystack', raw_body: rawBody, headers })
      }

      const first = await billing.payments.refund({ payment_id: paid!.id, amount: 1000 })
      const firstId = Number(first.refunds[0]!.id)
      fakes.paystack.settleRefund(firstId, 'failed')
      const failed = fakes.paystack.refundEvent(firstId)
      expect((await deliver(failed)).status).toBe('applied')
      expect((await billing.payments.get(paid!.id)).amount_refunded).toBe(0)

      const second = await billing.payments.refund({ payment_id: paid!.id, amount: 1000 })
      const secondId = Number(second.refunds[1]!.id)
      expect(second.amount_refunded).toBe(1000)
      // The gateway delivers the old failure again: it is about the first refund only.
      expect((await deliver(failed)).status).toBe('duplicate')
      expect(await billing.payments.get(paid!.id)).toMatchObject({
        amount_refunded: 1000,
        refunds: [{ status: 'failed' }, { status: 'pending' }],
      })
      fakes.paystack.settleRefund(secondId, 'processed')
      expect((await deliver(fakes.paystack.refundEvent(secondId))).status).toBe('applied')
      expect(await billing.payments.get(paid!.id)).toMatchObject({
        amount_refunded: 1000,
        refunds: [{ status: 'failed' }, { status: 'succeeded' }],
      })
      expect((await deliver(fakes.paystack.refundEvent(secondId))).status).toBe('duplicate')
      expect((await invoicesOf(billing, customer))[0]!.status).toBe('paid')
      await close()
    })
  })
}
