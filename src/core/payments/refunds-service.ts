import type { BillingContext } from '../context.js'
import { ErrorCode, NotFoundError, ValidationError } from '../errors.js'
import type { RefundResult } from './gateway-port.js'
import { gatewayOf } from './payment-methods-service.js'
import type { Payment } from './types.js'

async function update(ctx: BillingContext, id: string, change: (p: Payment) => Payment | null) {
  for (;;) {
    const payment = await ctx.storage.getPayment(id)
    if (payment === null) throw new NotFoundError(`payment ${id} does not exist`, { id, resource: 'payment' })
    const next = change(payment)
    if (next === null) return { payment, changed: false }
    const written = { ...next, revision: payment.revision + 1 }
    if (await ctx.storage.updatePayment(written)) return { payment: written, changed: true }
  }
}

/**
 * `billing.payments.refund`: refunds a successful payment, whole or in part (`amount` in minor
 * units, at most what is left). Gateways usually answer `pending`; the refund webhook settles it.
 *
 * @example
 * await refundPayment(ctx, { payment_id: 'py_…', amount: 50_000 })
 */
export async function refundPayment(
  ctx: BillingContext,
  input: { payment_id: string; amount?: number },
): Promise<Payment> {
  const payment =
    typeof input?.payment_id === 'string' ? await ctx.storage.getPayment(input.payment_id) : null
  if (payment === null)
    throw new NotFoundError(`payment ${input?.payment_id} does not exist`, {
      id: input?.payment_id,
      resource: 'payment',
    })
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

/**
 * Settles the oldest pending refund of a payment from a refund webhook (idempotent).
 *
 * @example
 * await settleRefund(ctx, payment, 'succeeded', 50_000)
 */
export async function settleRefund(
  ctx: BillingContext,
  payment: Payment,
  status: RefundResult['status'],
  amount: number | null,
): Promise<{ payment: Payment; changed: boolean }> {
  if (status === 'pending') return { payment, changed: false }
  return update(ctx, payment.id, (p) => {
    const index = p.refunds.findIndex(
      (r) => r.status === 'pending' && (amount === null || r.amount === amount),
    )
    if (index < 0) return null
    const refund = p.refunds[index]!
    const refunds = p.refunds.map((r, i) => (i === index ? { ...r, status } : r))
    const amount_refunded = status === 'failed' ? p.amount_refunded - refund.amount : p.amount_refunded
    return { ...p, refunds, amount_refunded, updated_at: new Date(ctx.now()).toISOString() }
  })
}
