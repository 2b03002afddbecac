import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryTarget, sqliteTarget } from '../support/targets.js'
import {
  DAY,
  type Fakes,
  freshBilling,
  invoicesOf,
  JAN,
  referenceOf,
  startFakes,
  subscribed,
} from './payment-fixture.js'

// Money taken for another amount or currency than the invoice asked is neither paid nor declined:
// the payment needs a person, and nothing charges or dunns that invoice again until then.
for (const target of [memoryTarget, sqliteTarget]) {
  describe(`a charge for the wrong amount on ${target.name}`, () => {
    let fakes: Fakes
    beforeAll(async () => {
      fakes = await startFakes()
    })
    afterAll(async () => {
      await fakes?.close()
    })

    it.each([
      ['amount', { amount: 10 }],
      ['currency', { currency: 'GHS' }],
    ])(
      'a success for another %s needs attention: no paid invoice, no dunning, no second charge',
      async (_what, change) => {
        const { billing, setNow, close } = await freshBilling(target, fakes.urls)
        const fake = fakes.flutterwave
        const card = fake.addCard({ email: 'gbenga@example.com', behaviour: 'pending_3ds' })
        const { customer, subscription } = await subscribed(
          billing,
          'odd',
          'flutterwave',
          card,
          'gbenga@example.com',
        )
        setNow(JAN + 60_000)
        const [pending] = (await billing.tick()).payments
        fake.settle(pending!.reference, 'succeeded')
        const event = fake.chargeEvent(pending!.reference) as { data: Record<string, unknown> }
        const { rawBody, headers } = fake.signedWebhook({ ...event, data: { ...event.data, ...change } })
        const outcome = await billing.webhooks.handle({ gateway: 'flutterwave', raw_body: rawBody, headers })
        expect(outcome).toMatchObject({ status: 'applied', payment: { status: 'needs_attention' } })
        expect(outcome.reason).toMatch(/expected 500000 NGN/)
        expect(outcome.payment?.failure_message).toMatch(/expected 500000 NGN/)

        const [invoice] = await invoicesOf(billing, customer)
        expect(invoice).toMatchObject({ status: 'open', amount_paid: 0, next_payment_attempt: null })
        expect((await billing.subscriptions.get(subscription)).status).toBe('active')

        const before = fake.chargeRequests()
        expect(await billing.payments.collect({ invoice_id: invoice!.id })).toMatchObject({
          id: pending!.id,
          status: 'needs_attention',
        })
        for (const day of [1, 3, 5, 7, 9]) {
          setNow(JAN + 60_000 + day * DAY)
          const tick = await billing.tick()
          expect(tick.payments).toEqual([])
          expect(tick.needs_attention.map((p) => p.id)).toEqual([pending!.id])
        }
        expect(fake.chargeRequests()).toBe(before)
        expect((await invoicesOf(billing, customer))[0]).toMatchObject({ status: 'open', amount_paid: 0 })
        expect((await billing.payments.list({ invoice_id: invoice!.id })).data).toHaveLength(1)
        expect((await billing.subscriptions.get(subscription)).status).toBe('active')
        // A later delivery of the right outcome does not undo the flag: a person settles it.
        const genuine = fake.signedWebhook(fake.chargeEvent(pending!.reference))
        const again = await billing.webhooks.handle({
          gateway: 'flutterwave',
          raw_body: genuine.rawBody,
          headers: genuine.headers,
        })
        expect(again).toMatchObject({ status: 'duplicate', payment: { status: 'needs_attention' } })
        await close()
      },
    )

    it.each(['paystack', 'flutterwave'] as const)(
      '%s: a charge answered as approved for another amount needs attention, never a decline',
      async (gateway) => {
        const { billing, setNow, close } = await freshBilling(target, fakes.urls)
        const fake = fakes[gateway]
        const card = fake.addCard({ email: 'hauwa@example.com' })
        const { customer, subscription } = await subscribed(
          billing,
          'short',
          gateway,
          card,
          'hauwa@example.com',
        )
        setNow(JAN + 60_000)
        await billing.invoices.run()
        const [invoice] = await invoicesOf(billing, customer)
        const reference = referenceOf(invoice!.id, 1)
        const body =
          gateway === 'paystack'
            ? {
                status: true,
                message: 'Charge attempted',
                data: {
                  reference,
                  status: 'success',
                  amount: 100,
                  currency: 'NGN',
                  id: 7,
                  gateway_response: 'Approved',
                },
              }
            : {
                status: 'success',
                message: 'Charge successful',
                data: { tx_ref: reference, status: 'successful', amount: 1, currency: 'NGN', id: 7 },
              }
        fake.failNext(1, {
          status: 200,
          after: true,
          body,
          path: gateway === 'paystack' ? '/transaction' : '/v3/tokenized',
        })
        const payment = await billing.payments.collect({ invoice_id: invoice!.id })
        expect(payment).toMatchObject({ status: 'needs_attention', attempt: 1 })
        setNow(JAN + 60_000 + 2 * DAY)
        const tick = await billing.tick()
        expect(tick.needs_attention.map((p) => p.id)).toEqual([payment!.id])
        expect((await billing.payments.list({ invoice_id: invoice!.id })).data).toHaveLength(1)
        expect((await invoicesOf(billing, customer))[0]).toMatchObject({
          status: 'open',
          next_payment_attempt: null,
        })
        expect((await billing.subscriptions.get(subscription)).status).toBe('active')
        await close()
      },
    )
  })
}
