import type { BillingContext } from '../context.js'
import { notify } from '../notifications/notify.js'

/** Why a customer is at risk of churning. */
export type AtRiskReason = 'usage_drop' | 'trial_ended_without_payment_method' | 'payment_failing'

/**
 * The key of one `customer.at_risk` occurrence.
 *
 * @example
 * atRiskKey('cus_1', 'payment_failing', 'in_1') // 'customer.at_risk:payment_failing:cus_1:in_1'
 */
export function atRiskKey(customer_id: string, reason: AtRiskReason, occurrence: string): string {
  return `customer.at_risk:${reason}:${customer_id}:${occurrence}`
}

/**
 * Writes `customer.at_risk` once per occurrence: `occurrence` names it within the customer and
 * reason (an invoice id, a subscription trial, a week). Answers whether this call stored it.
 *
 * @example
 * await notifyAtRisk(ctx, 'cus_1', 'payment_failing', 'in_1', { invoice_id: 'in_1', attempts: 2 })
 */
export async function notifyAtRisk(
  ctx: Pick<BillingContext, 'storage' | 'now'>,
  customer_id: string,
  reason: AtRiskReason,
  occurrence: string,
  figures: Record<string, unknown>,
): Promise<boolean> {
  const { stored } = await notify(ctx, {
    type: 'customer.at_risk',
    key: atRiskKey(customer_id, reason, occurrence),
    customer_id,
    data: { customer_id, reason, ...figures },
  })
  return stored
}

/**
 * Whether a customer has a payment method that is not detached.
 *
 * @example
 * if (!(await hasPaymentMethod(ctx, 'cus_1'))) console.log('no card on file')
 */
export async function hasPaymentMethod(
  ctx: Pick<BillingContext, 'storage'>,
  customer_id: string,
): Promise<boolean> {
  const methods = await ctx.storage.paymentMethods.list(customer_id)
  return methods.some((m) => m.detached_at === null)
}
