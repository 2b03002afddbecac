import type { BillingContext } from '../context.js'
import { type AppliedCharge, applyCharge } from './apply-charge.js'
import { isCheckout } from './checkout-card.js'
import type { BlockedGateways } from './collect.js'
import { gatewayOf } from './payment-methods-service.js'
import type { Payment } from './types.js'

/**
 * Asks the gateway about a checkout payment by its reference and applies what it says, as its
 * webhook would: a success pays the invoice through `settleInvoice` and attaches the card; anything
 * else leaves the checkout `pending` (the customer may still pay on the page). A success seen before
 * changes nothing but completes a card attachment that did not finish.
 *
 * @example
 * const { payment } = await confirmCheckout(ctx, checkoutPayment, Date.now())
 */
export async function confirmCheckout(
  ctx: BillingContext,
  payment: Payment,
  now: number,
  blocked?: BlockedGateways,
): Promise<AppliedCharge> {
  const known = blocked?.get(payment.gateway)
  if (known !== undefined) throw known
  const found = await gatewayOf(ctx, payment.gateway).verify(payment.reference, payment.currency)
  ctx.logger.debug('checkout verified', {
    gateway: payment.gateway,
    reference: payment.reference,
    status: found?.status ?? 'unknown',
  })
  if (found === null) return { payment, changed: false }
  return applyCharge(ctx, payment, found, now)
}

/**
 * Confirms an invoice's open checkouts (pending ones, oldest first) until one has paid it; returns
 * that one, or null when none has been paid yet.
 *
 * @example
 * const paid = await confirmOpenCheckouts(ctx, await attemptsOf(ctx, invoice.id), Date.now())
 */
export async function confirmOpenCheckouts(
  ctx: BillingContext,
  attempts: readonly Payment[],
  now: number,
  blocked?: BlockedGateways,
): Promise<Payment | null> {
  for (const attempt of attempts) {
    if (!isCheckout(attempt) || attempt.status !== 'pending') continue
    const { payment } = await confirmCheckout(ctx, attempt, now, blocked)
    if (payment.status === 'succeeded' || payment.status === 'needs_attention') return payment
  }
  return null
}
