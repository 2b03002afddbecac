import type { BillingContext } from '../context.js'
import { NotFoundError } from '../errors.js'
import { isCheckout } from '../payments/checkout-card.js'
import { confirmCheckout } from '../payments/confirm-checkout.js'
import type { Payment } from '../payments/types.js'
import { parseVerifyCheckout, type VerifyCheckoutInput } from './checkout-input.js'

/**
 * `billing.checkout.verify`: asks the gateway about a checkout payment by its reference (what the
 * gateway appends to the `callback_url` it sends the customer back to) and applies the answer
 * exactly as its webhook would: a success pays the invoice and attaches the card as the customer's
 * default; anything else leaves the checkout `pending`. Idempotent: verifying a settled checkout
 * again changes nothing. A reference that is not a checkout payment → `NotFoundError`.
 *
 * @example
 * const payment = await verifyCheckout(ctx, { reference: new URL(req.url).searchParams.get('reference')! })
 * if (payment.status === 'succeeded') showThanks()
 */
export async function verifyCheckout(ctx: BillingContext, input: VerifyCheckoutInput): Promise<Payment> {
  const { reference } = parseVerifyCheckout(input)
  const payment = await ctx.storage.payments.getByReference(reference)
  if (payment === null || !isCheckout(payment)) {
    throw new NotFoundError(`no checkout with reference ${reference}`, {
      id: reference,
      resource: 'checkout',
    })
  }
  return (await confirmCheckout(ctx, payment, ctx.now())).payment
}
