import type { BillingContext } from '../context.js'
import { ErrorCode, NotFoundError, ValidationError } from '../errors.js'
import type { RefundResult } from './gateway-port.js'
import { OFFLINE_GATEWAY } from './offline-payments.js'
import { gatewayOf } from './payment-methods-service.js'
import type { Payment } from './types.js'

/** What `billing.payments.refund` takes. */
export interface RefundInput {
  payment_id: string
  /** Integer minor units, at most what is left to refund; default all of it. */
  amount?: number
}

async function update(ctx: BillingContext, id: string, change: (p: Payment) => Payment | null) {
  for (;;) {
    const payment = await ctx.storage.payments.get(id)
    if (payment === null) throw new NotFoundError(`payment ${id} does not exist`, { id, resource: 'payment' })
    const next = change(payment)
    if (next === null) return { payment, changed: false }
    const written = { ...next, revision: payment.revision + 1 }
    if (await ctx.storage.payments.update(written)) return { payment: written, changed: true }
  }
}

/**
 * `billing.payments.refund`: refunds a successful payment, whole or in part (`amount` in minor
 * units, at most what is left). Gateways usually answer `pending`; the refund webhook settles it.
 *
 * @example
 * await refundPayment(ctx, { payment_id: 'py_…', amount: 50_000 })
 */
export async function refundPayment(ctx: BillingContext, input: RefundInput): Promise<Payment> {
  const payment =
    typeof input?.payment_id === 'string' ? await ctx.storage.payments.get(input.payment_id) : null
  if (payment === null)
    throw new NotFoundError(`payment ${input?.payment_id} does not exist`, {
      id: input?.payment_id,
      resource: 'payment',
    })
  if (payment.gateway === OFFLINE_GATEWAY) {
    throw new ValidationError(
      ErrorCode.INVALID_REFUND,
      `payment ${payment.id} was received offline: refund it the way it came`,
      { path: 'payment_id' },
    )
  }
  const left = payment.amount - payment.amount_refunded
  const amount = input.amount ?? left
  if (payment.status !== 'succeeded' || !Number.isSafeInteger(amount) || amount <= 0 || amount > left) {
    throw new ValidationError(
      ErrorCode.INVALID_REFUND,
      payment.status !== 'succeeded'
        ? `payment ${payment.id} is ${payment.status}: only a successful payment is refunded`
        : `amount must be a whole number of minor units from 1 to ${left}`,
      { path: payment.status !== 'succeeded' ? 'payment_id' : 'amount' },
    )
  }
  const result: RefundResult = await gatewayOf(ctx, payment.gateway).refund({
    reference: payment.reference,
    gateway_id: payment.gateway_id,
    amount,
    currency: payment.currency,
  })
  const now = new Date(ctx.now()).toISOString()
  const { payment: updated } = await update(ctx, payment.id, (p) => ({
    ...p,
    amount_refunded: p.amount_refunded + (result.status === 'failed' ? 0 : amount),
    refunds: [...p.refunds, { id: result.refund_id, amount, status: result.status, created_at: now }],
    updated_at: now,
  }))
  return updated
}

// The refund an event is about: the one with the gateway's refund id when the event carries it.
// Only a refund whose id was never learnt (its answer was lost) is matched by amount, oldest first.
function refundIndex(refunds: Payment['refunds'], refund_id: string | null, amount: number | null): number {
  if (refund_id !== null) {
    const byId = refunds.findIndex((r) => r.id === refund_id)
    if (byId >= 0) return byId
  }
  return refunds.findIndex(
    (r) => r.id === null && r.status === 'pending' && (amount === null || r.amount === amount),
  )
}

/**
 * Settles a refund of a payment from a refund webhook, idempotently. The refund is matched by the
 * gateway's refund id, so a redelivered event about an earlier refund never settles a later one of
 * the same amount; a refund already settled is left as it is (`changed: false`).
 *
 * @example
 * await settleRefund(ctx, payment, { status: 'succeeded', refund_id: '3018284', amount: 50_000 })
 */
export async function settleRefund(
  ctx: BillingContext,
  payment: Payment,
  event: { status: RefundResult['status']; refund_id: string | null; amount: number | null },
): Promise<{ payment: Payment; changed: boolean }> {
  const { status } = event
  if (status === 'pending') return { payment, changed: false }
  return update(ctx, payment.id, (p) => {
    const index = refundIndex(p.refunds, event.refund_id, event.amount)
    const refund = p.refunds[index]
    if (refund === undefined || refund.status !== 'pending') return null
    const refunds = p.refunds.map((r, i) => (i === index ? { ...r, status } : r))
    const amount_refunded = status === 'failed' ? p.amount_refunded - refund.amount : p.amount_refunded
    return { ...p, refunds, amount_refunded, updated_at: new Date(ctx.now()).toISOString() }
  })
}
