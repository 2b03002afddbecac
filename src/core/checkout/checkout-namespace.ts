import type { BillingContext } from '../context.js'
import type { Payment } from '../payments/types.js'
import type { CheckoutLink, CreateCheckoutInput, VerifyCheckoutInput } from './checkout-input.js'
import { createCheckout } from './create-checkout.js'
import { verifyCheckout } from './verify-checkout.js'

/** `billing.checkout`: hosted payment pages for open invoices, and their confirmation. */
export interface CheckoutApi {
  /** A hosted payment page for what an open invoice owes; the same link while it is open. */
  create(input: CreateCheckoutInput): Promise<CheckoutLink>
  /** Asks the gateway about a checkout and applies its answer, as its webhook would. */
  verify(input: VerifyCheckoutInput): Promise<Payment>
}

/**
 * The `checkout` namespace of a billing instance on `ctx`.
 *
 * @example
 * const checkout = checkoutNamespace(ctx)
 * const { url } = await checkout.create({ invoice_id: invoice.id, gateway: 'paystack', callback_url: 'https://app.example.ng/paid' })
 */
export function checkoutNamespace(ctx: BillingContext): CheckoutApi {
  return {
    create: (input) => createCheckout(ctx, input),
    verify: (input) => verifyCheckout(ctx, input),
  }
}
