import { z } from 'zod'
import { ErrorCode, validationErrorFromZod } from '../errors.js'
import { safeText } from '../text.js'
import { isHttpUrl } from './callback-url.js'

/** What `billing.checkout.create` takes. */
export interface CreateCheckoutInput {
  /** An open (or uncollectible) invoice: the page asks for what it still owes. */
  invoice_id: string
  /** The configured gateway whose hosted page to use: `'paystack'`, `'flutterwave'`. */
  gateway: string
  /** Where the gateway sends the customer back after paying: an absolute http(s) URL. */
  callback_url: string
  /** The email the payment (and the card it leaves) is tied to; default: the customer's email. */
  email?: string
}

/** A hosted payment page for an invoice: send the customer to `url`. */
export interface CheckoutLink {
  url: string
  /** The payment's reference: what the gateway's webhook, its redirect and `checkout.verify` name. */
  reference: string
  /** The checkout payment (`method: 'checkout'`), listed with the invoice's payments. */
  payment_id: string
}

/** What `billing.checkout.verify` takes: the reference of a checkout payment. */
export interface VerifyCheckoutInput {
  reference: string
}

const createSchema = z.strictObject({
  invoice_id: safeText(1, 255),
  gateway: safeText(1, 100),
  callback_url: z.string().max(2048).refine(isHttpUrl, { message: 'must be an absolute http(s) URL' }),
  email: z
    .string()
    .max(254)
    .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address')
    .optional(),
})

const verifySchema = z.strictObject({ reference: safeText(1, 255) })

/**
 * Checks `checkout.create` input: a bad field → `ValidationError` with its `path`.
 *
 * @example
 * parseCreateCheckout({ invoice_id: 'in_1', gateway: 'paystack', callback_url: '/paid' }) // throws at callback_url
 */
export function parseCreateCheckout(input: CreateCheckoutInput): CreateCheckoutInput {
  const parsed = createSchema.safeParse(input)
  if (!parsed.success) throw validationErrorFromZod(parsed.error, ErrorCode.VALIDATION_ERROR)
  return parsed.data
}

/**
 * Checks `checkout.verify` input.
 *
 * @example
 * parseVerifyCheckout({ reference: 'kbm-in-1-1' }) // { reference: 'kbm-in-1-1' }
 */
export function parseVerifyCheckout(input: VerifyCheckoutInput): VerifyCheckoutInput {
  const parsed = verifySchema.safeParse(input)
  if (!parsed.success) throw validationErrorFromZod(parsed.error, ErrorCode.VALIDATION_ERROR)
  return parsed.data
}
