import { describe, expect } from 'vitest'
import { notificationId } from '../../core/notifications/notify.js'
import type { Notification } from '../../core/notifications/types.js'
import type { ConformanceContext } from './context.js'
import { lifecycleHarness } from './lifecycle-fixture.js'

const START = Date.UTC(2026, 8, 1, 9)
const DAY = 86_400_000
const iso = (ms: number) => new Date(ms).toISOString()
const types = (seen: readonly Notification[]) => seen.map((n) => n.type)

/**
 * The lifecycle notifications through `createBilling`, written with the changes they report:
 * a paid cycle, dunning to a pause and back, a charge for the wrong amount, a redelivered
 * webhook, a cancellation, a void and a refund.
 *
 * @example
 * lifecycleNotificationTests(ctx) // registered by the storage conformance suite
 */
export function lifecycleNotificationTests(t: ConformanceContext): void {
  const { it } = t
  describe('lifecycle notifications', () => {
    it('a paid cycle: invoice.finalized, payment.succeeded, invoice.paid, in that order, once', async () => {
      const h = await lifecycleHarness(t, 'lc-paid', START)
      try {
        const { customer, subscription, invoice } = await h.subscribed('a', 'approve')
        const payment = await h.billing.payments.collect({ invoice_id: invoice.id })
        expect(payment).toMatchObject({ status: 'succeeded' })
        await h.billing.payments.collect({ invoice_id: invoice.id })
        await h.billing.invoices.run()
        const seen = await h.notificationsOf(customer)
        expect(types(seen)).toEqual(['invoice.finalized', 'payment.succeeded', 'invoice.paid'])
        const [finalized, succeeded, paid] = seen
        expect(finalized).toMatchObject({
          id: notificationId(`invoice.finalized:${invoice.id}`),
          customer_id: customer,
          created_at: iso(START),
          data: {
            invoice_id: invoice.id,
            number: invoice.number,
            customer_id: customer,
            subscription_id: subscription,
            status: 'open',
            billing_reason: 'subscription_create',
            currency: 'NGN',
            amount_due: 500000,
            amount_paid: 0,
            customer_email: 'a@example.ng',
          },
        })
        expect(invoice.number).toEqual(expect.any(String))
        expect(succeeded).toMatchObject({
          id: notificationId(`payment.succeeded:${payment!.id}`),
          data: {
            payment_id: payment!.id,
            invoice_id: invoice.id,
            number: invoice.number,
            amount: 500000,
            currency: 'NGN',
            gateway: 'paystack',
            status: 'succeeded',
          },
        })
        expect(paid).toMatchObject({
          id: notificationId(`invoice.paid:${invoice.id}`),
          data: { invoice_id: invoice.id, status: 'paid', amount_paid: 500000, amount_remaining: 0 },
        })
      } finally {
        await h.close()
      }
    })

    it('a declined card: invoice.payment_failed per attempt, then uncollectible and paused; a later payment resumes', async () => {
      const h = await lifecycleHarness(t, 'lc-dunning', START)
      try {
        const card = { kind: 'insufficient_funds_then_approve' as const, after: 2 }
        const { customer, subscription, invoice } = await h.subscribed('a', card)
        const first = await h.billing.payments.collect({ invoice_id: invoice.id })
        expect(first).toMatchObject({ status: 'failed', attempt: 1 })
        h.advance(DAY)
        const second = await h.billing.payments.collect({ invoice_id: invoice.id })
        expect(second).toMatchObject({ status: 'failed', attempt: 2 })
        expect((await h.billing.subscriptions.get(subscription)).status).toBe('paused')
        const failures = await h.notificationsOf(customer)
        expect(types(failures)).toEqual([
          'invoice.finalized',
          'invoice.payment_failed',
          'invoice.payment_failed',
          'invoice.uncollectible',
          'subscription.paused',
        ])
        expect(failures[1]).toMatchObject({
          id: notificationId(`invoice.payment_failed:${first!.id}`),
          data: {
            invoice_id: invoice.id,
            number: invoice.number,
            payment_id: first!.id,
            attempt: 1,
            amount: 500000,
            currency: 'NGN',
            failure_message: expect.stringMatching(/insufficient/i),
            next_payment_attempt: iso(START + DAY),
            final_attempt: false,
          },
        })
        expect(failures[2]).toMatchObject({
          data: { payment_id: second!.id, attempt: 2, next_payment_attempt: null, final_attempt: true },
        })
        expect(failures[3]).toMatchObject({ data: { invoice_id: invoice.id, status: 'uncollectible' } })
        expect(failures[4]).toMatchObject({
          customer_id: customer,
          data: {
            subscription_id: subscription,
            status: 'paused',
            previous_status: 'past_due',
            invoice_id: invoice.id,
          },
        })

        h.advance(DAY)
        const third = await h.billing.payments.collect({ invoice_id: invoice.id })
        expect(third).toMatchObject({ status: 'succeeded', attempt: 3 })
        const all = await h.notificationsOf(customer)
        expect(types(all.slice(failures.length))).toEqual([
          'payment.succeeded',
          'invoice.paid',
          'subscription.resumed',
        ])
        expect(all.at(-1)).toMatchObject({
          data: { subscription_id: subscription, status: 'active', previous_status: 'paused' },
        })
      } finally {
        await h.close()
      }
    })

    it('a charge for another amount: invoice.needs_attention with what was expected and charged; redelivered, nothing new', async () => {
      const h = await lifecycleHarness(t, 'lc-attention', START)
      try {
        const { customer, invoice } = await h.subscribed('a', 'pending_3ds')
        const pending = await h.billing.payments.collect({ invoice_id: invoice.id })
        expect(pending).toMatchObject({ status: 'pending' })
        h.paystack.settle(pending!.reference, 'succeeded')
        const event = h.paystack.chargeEvent(pending!.reference) as { data: Record<string, unknown> }
        const odd = { ...event, data: { ...event.data, amount: 10 } }
        expect(await h.deliver(odd)).toMatchObject({ status: 'applied' })
        expect(await h.deliver(odd)).toMatchObject({ status: 'duplicate' })
        const seen = await h.notificationsOf(customer)
        expect(types(seen)).toEqual(['invoice.finalized', 'invoice.needs_attention'])
        expect(seen[1]).toMatchObject({
          id: notificationId(`invoice.needs_attention:${pending!.id}`),
          data: {
            invoice_id: invoice.id,
            payment_id: pending!.id,
            expected_amount: 500000,
            expected_currency: 'NGN',
            charged_amount: 10,
            charged_currency: 'NGN',
          },
        })
      } finally {
        await h.close()
      }
    })

    it('a success webhook delivered twice writes payment.succeeded and invoice.paid once', async () => {
      const h = await lifecycleHarness(t, 'lc-redeliver', START)
      try {
        const { customer, invoice } = await h.subscribed('a', 'pending_3ds')
        const pending = await h.billing.payments.collect({ invoice_id: invoice.id })
        h.paystack.settle(pending!.reference, 'succeeded')
        const event = h.paystack.chargeEvent(pending!.reference)
        expect(await h.deliver(event)).toMatchObject({ status: 'applied' })
        const once = await h.notificationsOf(customer)
        expect(await h.deliver(event)).toMatchObject({ status: 'duplicate' })
        await h.billing.payments.collect({ invoice_id: invoice.id })
        expect(await h.notificationsOf(customer)).toEqual(once)
        expect(types(once)).toEqual(['invoice.finalized', 'payment.succeeded', 'invoice.paid'])
      } finally {
        await h.close()
      }
    })

    it('cancel writes subscription.canceled; void writes invoice.voided; a refund that succeeds writes payment.refunded', async () => {
      const h = await lifecycleHarness(t, 'lc-end', START)
      try {
        const { customer, subscription, invoice } = await h.subscribed('a', 'approve')
        const payment = await h.billing.payments.collect({ invoice_id: invoice.id })
        const refunding = await h.billing.payments.refund({ payment_id: payment!.id, amount: 100000 })
        expect(refunding.refunds).toMatchObject([{ status: 'pending' }])
        const refundId = h.paystack.refunds.find((r) => r.reference === payment!.reference)!.id
        h.paystack.settleRefund(refundId, 'processed')
        expect(await h.deliver(h.paystack.refundEvent(refundId))).toMatchObject({ status: 'applied' })
        expect(await h.deliver(h.paystack.refundEvent(refundId))).toMatchObject({ status: 'duplicate' })

        h.advance(DAY)
        await h.billing.subscriptions.cancel(subscription)
        const seen = await h.notificationsOf(customer)
        expect(types(seen)).toEqual([
          'invoice.finalized',
          'payment.succeeded',
          'invoice.paid',
          'payment.refunded',
          'subscription.canceled',
        ])
        expect(seen[3]).toMatchObject({
          data: {
            payment_id: payment!.id,
            invoice_id: invoice.id,
            refund_amount: 100000,
            refund_reference: refunding.refunds[0]!.reference,
            refund_id: String(refundId),
            amount: 500000,
            amount_refunded: 100000,
            currency: 'NGN',
            fully_refunded: false,
          },
        })
        expect(seen[4]).toMatchObject({
          data: {
            subscription_id: subscription,
            status: 'canceled',
            cancel_at_period_end: false,
            canceled_at: iso(START + DAY),
            ends_at: iso(START + DAY),
          },
        })
        const other = await h.subscribed('b', 'approve')
        const voided = await h.billing.invoices.void(other.invoice.id)
        const ofOther = await h.notificationsOf(other.customer)
        expect(types(ofOther)).toEqual(['invoice.finalized', 'invoice.voided'])
        expect(ofOther[1]).toMatchObject({
          id: notificationId(`invoice.voided:${voided.id}`),
          data: { invoice_id: voided.id, number: voided.number, status: 'void', voided_at: voided.voided_at },
        })
      } finally {
        await h.close()
      }
    })
  })
}
