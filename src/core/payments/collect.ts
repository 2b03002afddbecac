import type { BillingContext } from '../context.js'
import { BillingError, ErrorCode, GatewayError } from '../errors.js'
import { invoiceOutbox } from '../invoices/invoice-notifications.js'
import type { Invoice } from '../invoices/types.js'
import { isoTime as iso } from '../time/iso-time.js'
import { type AppliedCharge, applyCharge, completeOutcome, settleInvoice } from './apply-charge.js'
import { isCheckout } from './checkout-card.js'
import type { ChargeResult } from './gateway-port.js'
import { newPayment } from './new-payment.js'
import { defaultMethod, gatewayOf } from './payment-methods-service.js'
import type { Payment } from './types.js'

/**
 * The charge reference of an invoice's attempt: deterministic, so a process that restarts after a
 * crash asks the gateway about the same reference instead of charging a new one. Only letters,
 * digits and `-` (Paystack allows `-`, `.`, `=`; Flutterwave any).
 *
 * @example
 * paymentReference('in_00mjv9r4w0a1b2c3d4e5f6a7b8', 2) // 'kbm-in-00mjv9r4w0a1b2c3d4e5f6a7b8-2'
 */
export function paymentReference(invoice_id: string, attempt: number): string {
  return `kbm-${invoice_id.replace(/[^A-Za-z0-9]/g, '-')}-${attempt}`
}

// Takes over an attempt whose owner's lease has run out (the owner crashed), or returns null.
async function claim(ctx: BillingContext, payment: Payment, now: number): Promise<Payment | null> {
  if (payment.lease_until > now) return null
  const claimed = { ...payment, lease_until: now + ctx.dunning.leaseMs, revision: payment.revision + 1 }
  return (await ctx.storage.payments.update(claimed)) ? claimed : null
}

/** Gateways found failing on the merchant's side during one run, with the error each gave. */
export type BlockedGateways = Map<string, GatewayError>

/**
 * Whether an error blames the merchant (a wrong or revoked key, a disabled account): it says
 * nothing about the customer, so it never counts as an attempt, a decline or a dunning step.
 *
 * @example
 * if (isMerchantError(error)) stopCollectingThrough(error.gateway)
 */
export function isMerchantError(error: unknown): error is GatewayError {
  return error instanceof GatewayError && error.merchant
}

function gatewayFor(ctx: BillingContext, name: string, blocked: BlockedGateways | undefined) {
  const known = blocked?.get(name)
  if (known !== undefined) throw known
  return gatewayOf(ctx, name)
}

// Hands the attempt back at once so the next collection verifies and resends its reference: the
// gateway refused the request itself, so nothing was charged under it.
async function release(ctx: BillingContext, payment: Payment, now: number): Promise<void> {
  await ctx.storage.payments.update({ ...payment, lease_until: now, revision: payment.revision + 1 })
}

// Charges the attempt's reference once and applies the answer. A lost answer (timeout, dropped
// connection, 5xx) is never resent: the reference is verified, and while the gateway has nothing
// under it the attempt stays `processing` until its lease runs out (see `resolvePayment`). A
// merchant-side refusal changes nothing about the customer: the attempt is released and the error
// thrown. Any other refusal of the request is a failed attempt.
async function charge(
  ctx: BillingContext,
  payment: Payment,
  authorization: string,
  email: string,
  now: number,
) {
  const gateway = gatewayOf(ctx, payment.gateway)
  const about = { gateway: payment.gateway, invoice_id: payment.invoice_id, reference: payment.reference }
  ctx.logger.debug('charging', { ...about, amount: payment.amount, currency: payment.currency })
  let result: ChargeResult | null
  try {
    result = await gateway.charge({
      reference: payment.reference,
      amount: payment.amount,
      currency: payment.currency,
      email,
      authorization,
      narration: `Invoice ${payment.invoice_id}`,
      metadata: { invoice_id: payment.invoice_id, attempt: String(payment.attempt) },
    })
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error
    const outcome = { ...about, gateway_code: error.gateway_code, http_status: error.http_status }
    if (error.merchant) {
      ctx.logger.error('gateway refused the merchant', outcome)
      await release(ctx, payment, now)
      throw error
    }
    ctx.logger.warn(error.retryable ? 'charge answer lost' : 'charge refused', outcome)
    if (!error.retryable) {
      return applyCharge(
        ctx,
        payment,
        {
          status: 'failed',
          amount: payment.amount,
          currency: payment.currency,
          gateway_id: null,
          message: error.message,
        },
        now,
      )
    }
    result = await gateway.verify(payment.reference, payment.currency).catch((verifyError: unknown) => {
      if (isMerchantError(verifyError)) throw verifyError
      return null
    })
    if (result === null) return { payment, changed: false }
  }
  ctx.logger.info('charge answered', { ...about, status: result.status })
  return applyCharge(ctx, payment, result, now)
}

/**
 * Resolves an attempt whose outcome is not known (`processing` after a crash or a lost answer,
 * `pending` 3-D Secure) by verifying its reference. Only a `processing` attempt the gateway has
 * never seen, whose owner's lease has run out, is charged again, with the same reference: the
 * lease gives a request still on its way the time to land, so one reference is never charged twice.
 *
 * @example
 * await resolvePayment(ctx, payment, Date.now())
 */
export async function resolvePayment(
  ctx: BillingContext,
  payment: Payment,
  now: number,
  blocked?: BlockedGateways,
): Promise<AppliedCharge> {
  const gateway = gatewayFor(ctx, payment.gateway, blocked)
  const found = await gateway.verify(payment.reference, payment.currency)
  ctx.logger.debug('charge verified', {
    gateway: payment.gateway,
    reference: payment.reference,
    status: found?.status ?? 'unknown',
  })
  if (found !== null) return applyCharge(ctx, payment, found, now)
  if (payment.status !== 'processing') return { payment, changed: false }
  const claimed = await claim(ctx, payment, now)
  if (claimed === null) return { payment, changed: false }
  const method =
    claimed.payment_method_id === null
      ? null
      : await ctx.storage.paymentMethods.get(claimed.payment_method_id)
  if (method === null) return { payment: claimed, changed: false }
  return charge(ctx, claimed, method.authorization, method.email, now)
}

/**
 * An invoice's charge attempts, oldest first.
 *
 * @example
 * const attempts = await attemptsOf(ctx, invoice.id)
 */
export async function attemptsOf(ctx: BillingContext, invoice_id: string): Promise<Payment[]> {
  const attempts = await ctx.storage.payments.list({ invoice_id, limit: 1000 })
  return attempts.sort((a, b) => a.attempt - b.attempt)
}

/**
 * The attempt that holds an invoice back from collection: one that took money needing a person
 * (`needs_attention`), or null.
 *
 * @example
 * const held = heldForAttention(await attemptsOf(ctx, invoice.id))
 */
export function heldForAttention(attempts: readonly Payment[]): Payment | null {
  return attempts.find((p) => p.status === 'needs_attention') ?? null
}

/** What `collectInvoice` may be told besides the invoice. */
export interface CollectOptions {
  /** The invoice's attempts, oldest first, when the caller has just read them (`attemptsOf`). */
  attempts?: readonly Payment[]
  /** Gateways already found failing on the merchant's side: their error is thrown without a call. */
  blocked?: BlockedGateways
}

/**
 * Starts the next charge attempt of an open (or uncollectible) invoice with the customer's default
 * payment method, unless an earlier attempt's outcome is still unknown: that one is resolved
 * first. Exactly one process starts each attempt (its reference is a unique key). An invoice with
 * an attempt that `needs_attention` is never charged again: that attempt is returned as it is.
 * A merchant-side gateway error (`GATEWAY_MERCHANT_ERROR`) is thrown without touching the invoice.
 * Hosted checkouts offered for the invoice neither hold it back nor count as its charge attempts
 * (their own confirmation is `confirmCheckout`); one that succeeded settles it.
 *
 * @example
 * const { payment } = await collectInvoice(ctx, invoice, Date.now())
 */
export async function collectInvoice(
  ctx: BillingContext,
  invoice: Invoice,
  now: number,
  options: CollectOptions = {},
): Promise<AppliedCharge | null> {
  if (invoice.status !== 'open' && invoice.status !== 'uncollectible') return null
  const attempts = options.attempts ?? (await attemptsOf(ctx, invoice.id))
  const held = heldForAttention(attempts)
  if (held !== null) return { payment: held, changed: false }
  if (invoice.amount_due - invoice.amount_paid <= 0) {
    // Nothing to charge: a zero invoice is paid as it stands.
    await ctx.storage.invoices.transition(
      invoice.id,
      ['open', 'uncollectible'],
      { status: 'paid', updated_at: iso(now), paid_at: iso(now) },
      invoiceOutbox(ctx.now(), 'invoice.paid'),
    )
    if (invoice.billing_reason === 'top_up') ctx.entitlements.forget(invoice.customer_id)
    return null
  }
  const paidByCheckout = attempts.find((p) => isCheckout(p) && p.status === 'succeeded')
  if (paidByCheckout !== undefined) {
    // Completes a confirmation that stopped between the payment and the invoice.
    await settleInvoice(ctx, invoice, paidByCheckout, now)
    return { payment: paidByCheckout, changed: false }
  }
  const last = attempts.filter((p) => !isCheckout(p)).at(-1) ?? null
  if (last !== null && (last.status === 'processing' || last.status === 'pending')) {
    const resolved = await resolvePayment(ctx, last, now, options.blocked)
    if (resolved.payment.status !== 'failed') return resolved
  }
  if (last?.status === 'succeeded') {
    // A success whose invoice was never settled: its process stopped between the two writes.
    await completeOutcome(ctx, invoice, last, now)
    return { payment: last, changed: false }
  }
  const method = await defaultMethod(ctx, invoice.customer_id)
  if (method === null) {
    throw new BillingError(
      ErrorCode.NO_PAYMENT_METHOD,
      `customer ${invoice.customer_id} has no payment method attached`,
      {
        id: invoice.customer_id,
      },
    )
  }
  gatewayFor(ctx, method.gateway, options.blocked)
  // Numbered after every attempt, checkouts included: the reference derived from it stays fresh.
  const attempt = (attempts.at(-1)?.attempt ?? 0) + 1
  const payment = newPayment(
    invoice,
    {
      payment_method_id: method.id,
      gateway: method.gateway,
      reference: paymentReference(invoice.id, attempt),
      attempt,
      status: 'processing',
      amount: invoice.amount_due - invoice.amount_paid,
      lease_until: now + ctx.dunning.leaseMs,
    },
    now,
  )
  const { created, payment: stored } = await ctx.storage.payments.create(payment)
  if (!created)
    return stored.status === 'processing'
      ? resolvePayment(ctx, stored, now, options.blocked)
      : { payment: stored, changed: false }
  return charge(ctx, stored, method.authorization, method.email, now)
}
