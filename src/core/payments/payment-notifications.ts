import { invoiceData } from '../invoices/invoice-notifications.js'
import type { Invoice } from '../invoices/types.js'
import { notificationRecord } from '../notifications/notify.js'
import type { NotificationData } from '../notifications/types.js'
import type { NotificationRecord, Outbox } from '../ports/index.js'
import { isoTime as iso } from '../time/iso-time.js'
import type { DunningStep } from './dunning.js'
import type { Payment, PaymentRefund } from './types.js'

/**
 * What every payment notification carries: the payment (amount in minor units with its currency,
 * how it was paid) and what a receipt needs of its invoice.
 *
 * @example
 * paymentData(payment, invoice) // { payment_id: 'py_…', invoice_id: 'in_…', number: 'INV-000001', amount: 150000, currency: 'NGN', … }
 */
export function paymentData(payment: Payment, invoice: Invoice | null): NotificationData {
  return {
    payment_id: payment.id,
    invoice_id: payment.invoice_id,
    customer_id: payment.customer_id,
    subscription_id: invoice?.subscription_id ?? null,
    number: invoice?.number ?? null,
    billing_reason: invoice?.billing_reason ?? null,
    status: payment.status,
    amount: payment.amount,
    currency: payment.currency,
    amount_refunded: payment.amount_refunded,
    gateway: payment.gateway,
    method: payment.method ?? 'card',
    reference: payment.reference,
    gateway_id: payment.gateway_id,
    attempt: payment.attempt,
    customer_name: invoice?.customer_name ?? null,
    customer_email: invoice?.customer_email ?? null,
  }
}

// The invoice's part of an `invoice.*` notification written with a payment: the invoice as read,
// or what the payment knows of it when the invoice is gone.
const invoicePart = (payment: Payment, invoice: Invoice | null): NotificationData =>
  invoice === null
    ? { invoice_id: payment.invoice_id, customer_id: payment.customer_id, currency: payment.currency }
    : invoiceData(invoice)

const record = (
  now: number,
  type: NotificationRecord['type'],
  key: string,
  payment: Payment,
  data: NotificationData,
) => notificationRecord(now, { type, key, customer_id: payment.customer_id, data })

/**
 * The outbox of the payment write that settles a charge attempt, by the outcome written:
 * `payment.succeeded`, `invoice.payment_failed` (with the attempt, and the retry `step` that
 * follows: its time, or `final_attempt` when no automatic retry follows), or
 * `invoice.needs_attention` (what was expected and what was charged). Each is keyed by the payment
 * id: one payment settles once. Other statuses report nothing.
 *
 * @example
 * await storage.payments.update(next, chargeOutcomeOutbox(now, invoice, step, { amount, currency }))
 */
export function chargeOutcomeOutbox(
  now: number,
  invoice: Invoice | null,
  step: DunningStep,
  charged: { amount: number; currency: string },
): Outbox<Payment> {
  return (payment) => {
    if (payment.status === 'succeeded')
      return [
        record(
          now,
          'payment.succeeded',
          `payment.succeeded:${payment.id}`,
          payment,
          paymentData(payment, invoice),
        ),
      ]
    const attempt = { payment_id: payment.id, attempt: payment.attempt, attempt_count: payment.attempt }
    if (payment.status === 'failed') {
      return [
        record(now, 'invoice.payment_failed', `invoice.payment_failed:${payment.id}`, payment, {
          ...invoicePart(payment, invoice),
          ...attempt,
          amount: payment.amount,
          failure_message: payment.failure_message,
          next_payment_attempt: step.kind === 'retry' ? iso(step.at) : null,
          final_attempt: step.kind === 'final',
        }),
      ]
    }
    if (payment.status === 'needs_attention') {
      return [
        record(now, 'invoice.needs_attention', `invoice.needs_attention:${payment.id}`, payment, {
          ...invoicePart(payment, invoice),
          ...attempt,
          expected_amount: payment.amount,
          expected_currency: payment.currency,
          charged_amount: charged.amount,
          charged_currency: charged.currency,
          message: payment.failure_message,
        }),
      ]
    }
    return []
  }
}

/**
 * The outbox of a payment created as already paid (money recorded offline): `payment.succeeded`.
 *
 * @example
 * await storage.payments.create(payment, succeededOutbox(now, invoice))
 */
export function succeededOutbox(now: number, invoice: Invoice | null): Outbox<Payment> {
  return (payment) =>
    payment.status === 'succeeded'
      ? [
          record(
            now,
            'payment.succeeded',
            `payment.succeeded:${payment.id}`,
            payment,
            paymentData(payment, invoice),
          ),
        ]
      : []
}

/**
 * The refunds of `after` that succeeded in the change from `before`.
 *
 * @example
 * newlyRefunded(payment, next) // [{ reference: 'kbm-…-r1', status: 'succeeded', … }]
 */
export function newlyRefunded(before: Payment, after: Payment): PaymentRefund[] {
  const done = new Set(before.refunds.filter((r) => r.status === 'succeeded').map((r) => r.reference))
  return after.refunds.filter((r) => r.status === 'succeeded' && !done.has(r.reference))
}

/**
 * The outbox of a payment write that may settle refunds: `payment.refunded` for each refund that
 * succeeded in it (compared with `before`, the payment it replaces), keyed by the payment and the
 * refund's reference, so each refund is reported once.
 *
 * @example
 * await storage.payments.update(next, refundedOutbox(now, payment, invoice))
 */
export function refundedOutbox(now: number, before: Payment, invoice: Invoice | null): Outbox<Payment> {
  return (payment) =>
    newlyRefunded(before, payment).map((refund) =>
      record(now, 'payment.refunded', `payment.refunded:${payment.id}:${refund.reference}`, payment, {
        ...paymentData(payment, invoice),
        refund_reference: refund.reference,
        refund_id: refund.id,
        refund_amount: refund.amount,
        fully_refunded: payment.amount_refunded >= payment.amount,
      }),
    )
}
