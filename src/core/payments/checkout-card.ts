import type { BillingContext } from '../context.js'
import { newId } from '../ids.js'
import { isoTime as iso } from '../time/iso-time.js'
import { gatewayOf } from './payment-methods-service.js'
import type { Payment, PaymentMethodRecord } from './types.js'

/** The `method` of a payment made on a hosted checkout page. */
export const CHECKOUT_METHOD = 'checkout'

/**
 * Whether a payment was made (or is offered) on a hosted checkout page.
 *
 * @example
 * if (isCheckout(payment)) await attachCheckoutCard(ctx, payment, now)
 */
export function isCheckout(payment: Payment): boolean {
  return payment.method === CHECKOUT_METHOD
}

// Names the method on the payment before the method exists: of several deliveries racing, exactly
// one compare-and-set wins, so they all insert under one id and a card is never attached twice.
async function claimMethodId(ctx: BillingContext, start: Payment, now: number): Promise<Payment | null> {
  let payment = start
  while (payment.payment_method_id === null) {
    const claimed = {
      ...payment,
      payment_method_id: newId('pm', now),
      updated_at: iso(now),
      revision: payment.revision + 1,
    }
    if (await ctx.storage.payments.update(claimed)) return claimed
    const latest = await ctx.storage.payments.get(payment.id)
    if (latest === null) return null
    payment = latest
  }
  return payment
}

/**
 * Attaches the reusable card a successful checkout payment left as the customer's payment method:
 * the newest method, so the default one later invoices are charged to. Idempotent: a payment whose
 * method is stored already changes nothing, so a webhook delivered again days later attaches no
 * second copy. A payment the gateway says left no reusable card (a bank transfer on the page) is
 * returned as it is.
 *
 * @example
 * const payment = await attachCheckoutCard(ctx, succeededCheckout, Date.now())
 * payment.payment_method_id // 'pm_…', the customer's default now
 */
export async function attachCheckoutCard(
  ctx: BillingContext,
  payment: Payment,
  now: number,
): Promise<Payment> {
  if (!isCheckout(payment) || payment.status !== 'succeeded') return payment
  if (payment.payment_method_id !== null) {
    if ((await ctx.storage.paymentMethods.get(payment.payment_method_id)) !== null) return payment
  }
  const found = await gatewayOf(ctx, payment.gateway).verifyAuthorization(payment.reference)
  if (
    found?.status !== 'succeeded' ||
    !found.reusable ||
    found.authorization === null ||
    found.email === null
  ) {
    ctx.logger.info('checkout left no reusable card', {
      gateway: payment.gateway,
      reference: payment.reference,
    })
    return payment
  }
  const named = await claimMethodId(ctx, payment, now)
  if (named?.payment_method_id == null) return payment
  const record: PaymentMethodRecord = {
    id: named.payment_method_id,
    customer_id: named.customer_id,
    gateway: named.gateway,
    email: found.email,
    authorization: found.authorization,
    card: found.card,
    created_at: iso(now),
    metadata: { checkout_reference: named.reference },
    detached_at: null,
  }
  if (await ctx.storage.paymentMethods.insert(record)) {
    ctx.logger.info('checkout card attached', {
      customer_id: record.customer_id,
      payment_method_id: record.id,
      reference: named.reference,
    })
  }
  return named
}
