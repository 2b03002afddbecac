import { z } from 'zod'
import type { BillingContext } from '../context.js'
import { BillingError, ConflictError, ErrorCode, validationErrorFromZod } from '../errors.js'
import { getInvoice } from '../invoices/invoices-service.js'
import type { Invoice } from '../invoices/types.js'
import { safeText } from '../text.js'
import { settleInvoice } from './apply-charge.js'
import { isCheckout } from './checkout-card.js'
import { attemptsOf } from './collect.js'
import { newPayment } from './new-payment.js'
import { succeededOutbox } from './payment-notifications.js'
import type { OfflinePaymentMethod, Payment } from './types.js'

/** The `gateway` of payments recorded with `payments.recordOffline`; no gateway may take this name. */
export const OFFLINE_GATEWAY = 'offline'

/** What `billing.payments.recordOffline` takes. */
export interface OfflinePaymentInput {
  invoice_id: string
  /** Integer minor units: exactly what the invoice still owes (`amount_due - amount_paid`). */
  amount: number
  method: OfflinePaymentMethod
  /** The transfer's reference (or receipt number): unique across the store, it makes the call idempotent. */
  reference: string
}

const inputSchema = z.strictObject({
  invoice_id: safeText(1, 255),
  amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  method: z.enum(['bank_transfer', 'cash', 'cheque', 'other']),
  reference: safeText(1, 255),
})

// A second call with a stored reference must be the same payment; anything else is a mistake to
// surface, never a second payment.
function sameRecord(stored: Payment, input: OfflinePaymentInput): Payment {
  if (
    stored.gateway === OFFLINE_GATEWAY &&
    stored.invoice_id === input.invoice_id &&
    stored.amount === input.amount &&
    stored.method === input.method
  ) {
    return stored
  }
  throw new ConflictError(`reference ${input.reference} already records another payment`, {
    id: stored.id,
    resource: 'payment',
    path: 'reference',
  })
}

function refuse(invoice: Invoice, why: string): never {
  throw new BillingError(ErrorCode.INVALID_STATE, `invoice ${invoice.id} ${why}`, {
    id: invoice.id,
    status: invoice.status,
  })
}

/**
 * `billing.payments.recordOffline`: records money received outside the gateways (a bank transfer,
 * cash) against an `open` or `uncollectible` invoice, for exactly what it still owes, and settles
 * it as a gateway payment would: the invoice becomes `paid` and a past-due or paused subscription
 * active. Idempotent by `reference`: a call with a stored reference answers the stored payment and
 * changes nothing (a different invoice, amount or method → `ConflictError`). `INVALID_STATE` when
 * the invoice is not collectible, the amount differs from what it owes, or a gateway charge of it
 * is still in flight (`processing`/`pending`: its outcome must be known first; an open hosted
 * checkout is not).
 *
 * @example
 * await recordOffline(ctx, { invoice_id: 'in_…', amount: 5_482_500, method: 'bank_transfer', reference: 'FT26001ABC' })
 */
export async function recordOffline(ctx: BillingContext, input: OfflinePaymentInput): Promise<Payment> {
  const parsed = inputSchema.safeParse(input)
  if (!parsed.success) throw validationErrorFromZod(parsed.error, ErrorCode.VALIDATION_ERROR)
  const given = parsed.data
  const now = ctx.now()
  const known = await ctx.storage.payments.getByReference(given.reference)
  if (known !== null) return finish(ctx, sameRecord(known, given), now)

  const invoice = await getInvoice(ctx, given.invoice_id)
  if (invoice.status !== 'open' && invoice.status !== 'uncollectible') refuse(invoice, `is ${invoice.status}`)
  const owed = invoice.amount_due - invoice.amount_paid
  if (given.amount !== owed) refuse(invoice, `owes ${owed} ${invoice.currency}, not ${given.amount}`)
  const attempts = await attemptsOf(ctx, invoice.id)
  // An open checkout page is an offer, not money in flight: a late payment on it is recorded like
  // any other late success, and never pays the invoice a second time.
  if (attempts.some((p) => !isCheckout(p) && (p.status === 'processing' || p.status === 'pending'))) {
    refuse(invoice, 'has a gateway charge in flight: settle it first')
  }
  // The next attempt number keeps later charge references (derived from it) fresh.
  const attempt = (attempts.at(-1)?.attempt ?? 0) + 1
  const payment = newPayment(
    invoice,
    {
      payment_method_id: null,
      gateway: OFFLINE_GATEWAY,
      method: given.method,
      reference: given.reference,
      attempt,
      status: 'succeeded',
      amount: given.amount,
      lease_until: now,
    },
    now,
  )
  const { created, payment: stored } = await ctx.storage.payments.create(
    payment,
    succeededOutbox(ctx.now(), invoice),
  )
  const recorded = created ? stored : sameRecord(stored, given)
  ctx.logger.info('offline payment recorded', {
    invoice_id: invoice.id,
    payment_id: recorded.id,
    method: given.method,
    amount: given.amount,
    currency: invoice.currency,
  })
  return finish(ctx, recorded, now)
}

// Settling again is harmless, and completes a call that stored the payment but stopped before
// the invoice was marked paid.
async function finish(ctx: BillingContext, payment: Payment, now: number): Promise<Payment> {
  const invoice = await ctx.storage.invoices.get(payment.invoice_id)
  if (invoice !== null && (invoice.status === 'open' || invoice.status === 'uncollectible')) {
    await settleInvoice(ctx, invoice, payment, now)
  }
  return payment
}
