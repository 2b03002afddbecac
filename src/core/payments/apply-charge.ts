import type { BillingContext } from '../context.js'
import { invoiceOutbox } from '../invoices/invoice-notifications.js'
import type { Invoice } from '../invoices/types.js'
import { statusChangeOutbox } from '../subscriptions/subscription-notifications.js'
import type { SubscriptionRecord } from '../subscriptions/types.js'
import { isoTime as iso } from '../time/iso-time.js'
import { attachCheckoutCard, isCheckout } from './checkout-card.js'
import { type DunningStep, nextDunningStep } from './dunning.js'
import type { ChargeResult } from './gateway-port.js'
import { chargeOutcomeOutbox } from './payment-notifications.js'
import type { Payment, PaymentStatus } from './types.js'

const FINAL: ReadonlySet<PaymentStatus> = new Set(['succeeded', 'failed', 'needs_attention'])
const FINAL_STEP: DunningStep = { kind: 'final' }

/** What applying a gateway's answer did. */
export interface AppliedCharge {
  payment: Payment
  /** False when the payment already had this outcome (a webhook delivered again). */
  changed: boolean
  /** Set when a successful charge does not match the invoice's amount or currency (`needs_attention`). */
  mismatch?: string
}

// Sets the kept status of an invoice's subscription, reporting a pause or a resume with it.
async function setSubscriptionStatus(
  ctx: BillingContext,
  invoice: Invoice,
  decide: (sub: SubscriptionRecord) => SubscriptionRecord['status'] | null,
): Promise<void> {
  for (;;) {
    const sub = await ctx.storage.subscriptions.get(invoice.subscription_id)
    if (sub === null) return
    const status = decide(sub)
    if (status === null || status === sub.status) return
    const outbox = statusChangeOutbox(ctx.now(), sub.status, status, { invoice_id: invoice.id })
    if (await ctx.storage.subscriptions.update({ ...sub, status, revision: sub.revision + 1 }, outbox)) {
      // A paused subscription's enforced limits refuse usage at ingest until it is active again.
      if (status === 'paused' || sub.status === 'paused') {
        await ctx.storage.entitlements.block(
          sub.customer_id,
          ctx.now(),
          status === 'paused' ? 'paused' : null,
        )
      }
      ctx.entitlements.forget(sub.customer_id)
      return
    }
  }
}

/**
 * What a successful payment does, whichever way the money came: the invoice (open or
 * uncollectible) becomes `paid` with the payment's amount, and a past-due or paused subscription
 * is active again. A top-up invoice leaves the subscription as it is (it pays for blocks, not for
 * the overdue invoices that paused it): its blocks are granted by the storage in the transition to
 * `paid`, and this process's view forgets the customer so its next check sees them at once.
 * Idempotent: applied again, it changes nothing.
 *
 * @example
 * await settleInvoice(ctx, invoice, payment, Date.now())
 */
export async function settleInvoice(
  ctx: BillingContext,
  invoice: Invoice,
  payment: Payment,
  now: number,
): Promise<void> {
  await ctx.storage.invoices.transition(
    invoice.id,
    ['open', 'uncollectible'],
    {
      status: 'paid',
      updated_at: iso(now),
      paid_at: iso(now),
      amount_paid: payment.amount,
      attempt_count: payment.attempt,
      next_payment_attempt: null,
    },
    invoiceOutbox(ctx.now(), 'invoice.paid'),
  )
  if (invoice.billing_reason === 'top_up') {
    ctx.entitlements.forget(invoice.customer_id)
    return
  }
  // A payment brings a past-due or paused subscription back.
  await setSubscriptionStatus(ctx, invoice, (sub) => (sub.status === 'active' ? null : 'active'))
}

// A declined top-up is not dunned: the customer asked for blocks now, so no retry is scheduled
// and the subscription is left alone; the invoice stays open for a checkout or an offline payment.
async function onTopUpFailed(ctx: BillingContext, invoice: Invoice, payment: Payment, now: number) {
  await ctx.storage.invoices.transition(invoice.id, ['open'], {
    status: 'open',
    updated_at: iso(now),
    attempt_count: payment.attempt,
    next_payment_attempt: null,
  })
}

/**
 * The dunning step that follows `failed`, a decline of one of `invoice`'s attempts about to be
 * written: what its `invoice.payment_failed` notification says comes next. Only declines of a
 * stored card are dunning steps (a hosted checkout is never failed by it); a top-up is not dunned.
 */
async function stepAfter(
  ctx: BillingContext,
  invoice: Invoice | null,
  failed: Payment,
): Promise<DunningStep> {
  if (invoice === null || invoice.billing_reason === 'top_up') return { kind: 'final' }
  const payments = await ctx.storage.payments.list({ invoice_id: invoice.id, limit: 1000 })
  const declines = payments.filter((p) => p.id !== failed.id && p.status === 'failed' && !isCheckout(p))
  return nextDunningStep([...declines, failed], ctx.dunning)
}

async function onFailed(
  ctx: BillingContext,
  invoice: Invoice,
  payment: Payment,
  step: DunningStep,
  now: number,
): Promise<void> {
  if (invoice.billing_reason === 'top_up') return onTopUpFailed(ctx, invoice, payment, now)
  const final = step.kind === 'final'
  await ctx.storage.invoices.transition(
    invoice.id,
    ['open'],
    {
      status: final ? 'uncollectible' : 'open',
      updated_at: iso(now),
      attempt_count: payment.attempt,
      next_payment_attempt: final ? null : iso(step.at),
    },
    final ? invoiceOutbox(ctx.now(), 'invoice.uncollectible') : undefined,
  )
  const pause = final && ctx.dunning.afterFinalFailure === 'pause'
  await setSubscriptionStatus(ctx, invoice, () => (pause ? 'paused' : 'past_due'))
}

// The one place an invoice learns that money against it needs a person: no retry is scheduled,
// and collection leaves it alone while any of its attempts is `needs_attention`.
async function onNeedsAttention(ctx: BillingContext, invoice: Invoice, payment: Payment, now: number) {
  await ctx.storage.invoices.transition(invoice.id, ['open', 'uncollectible'], {
    status: invoice.status,
    updated_at: iso(now),
    attempt_count: payment.attempt,
    next_payment_attempt: null,
  })
}

// What a payment's final outcome does to its invoice and subscription, once the payment holds it.
async function followOutcome(
  ctx: BillingContext,
  invoice: Invoice,
  payment: Payment,
  step: DunningStep,
  now: number,
): Promise<void> {
  if (payment.status === 'succeeded') await settleInvoice(ctx, invoice, payment, now)
  if (payment.status === 'failed') await onFailed(ctx, invoice, payment, step, now)
  if (payment.status === 'needs_attention') await onNeedsAttention(ctx, invoice, payment, now)
}

/**
 * Finishes a card attempt's final outcome that its invoice never heard of. The payment's outcome
 * and the invoice's change are two writes; a process that stops between them (killed, or its
 * database gone) leaves a succeeded attempt on an invoice still open, or a decline the invoice has
 * not counted (`attempt_count` below the attempt), which no collection would ever look at again.
 * This settles the invoice, or schedules the decline's dunning step (or makes the invoice
 * uncollectible), exactly as the stopped process would have, and returns whether it did anything.
 * Idempotent, and safe beside a process still finishing the same outcome: the invoice's
 * transitions are conditional, so its notification is written once.
 *
 * @example
 * if (await completeOutcome(ctx, invoice, lastAttempt, Date.now())) continue
 */
export async function completeOutcome(
  ctx: BillingContext,
  invoice: Invoice,
  payment: Payment,
  now: number,
): Promise<boolean> {
  if (isCheckout(payment)) return false
  if (payment.status === 'succeeded' && (invoice.status === 'open' || invoice.status === 'uncollectible')) {
    await settleInvoice(ctx, invoice, payment, now)
    return true
  }
  if (payment.status === 'failed' && invoice.status === 'open' && invoice.attempt_count < payment.attempt) {
    await onFailed(ctx, invoice, payment, await stepAfter(ctx, invoice, payment), now)
    return true
  }
  return false
}

/**
 * Applies a gateway's answer about one charge, idempotently: the payment takes the outcome
 * (`processing` → `pending` → `succeeded` | `failed` | `needs_attention`; a final outcome never
 * changes), and a new final outcome moves the invoice (paid, or the dunning schedule) and the
 * subscription (active, past_due, paused). A success whose amount or currency differs from the
 * attempt makes the payment `needs_attention`: the invoice stays open, unpaid and undunned, and
 * the subscription is left as it is.
 *
 * A checkout payment (`method: 'checkout'`) moves only on success: a decline or an abandoned page
 * leaves it `pending`, as the customer may still pay on the same page. Its success also attaches
 * the card it left as the customer's default payment method (see `attachCheckoutCard`), and a
 * success seen again retries only that attachment, never the settlement.
 *
 * @example
 * await applyCharge(ctx, payment, await gateway.verify(payment.reference, payment.currency), now)
 */
export async function applyCharge(
  ctx: BillingContext,
  start: Payment,
  result: Pick<ChargeResult, 'status' | 'amount' | 'currency' | 'gateway_id' | 'message'>,
  now: number,
): Promise<AppliedCharge> {
  let payment = start
  for (;;) {
    if (FINAL.has(payment.status) || (payment.status === 'pending' && result.status === 'pending')) {
      return { payment: await attachCheckoutCard(ctx, payment, now), changed: false }
    }
    if (isCheckout(payment) && result.status !== 'succeeded') return { payment, changed: false }
    const mismatch =
      result.status === 'succeeded' &&
      (result.amount !== payment.amount || result.currency !== payment.currency)
        ? `charged ${result.amount} ${result.currency}, expected ${payment.amount} ${payment.currency}`
        : undefined
    const next: Payment = {
      ...payment,
      status: mismatch === undefined ? result.status : 'needs_attention',
      gateway_id: result.gateway_id ?? payment.gateway_id,
      failure_message: mismatch ?? (result.status === 'failed' ? (result.message ?? 'declined') : null),
      updated_at: iso(now),
      revision: payment.revision + 1,
    }
    // Read before the write: the outcome's notification is written with it, saying what comes next.
    const known = FINAL.has(next.status) ? await ctx.storage.invoices.get(next.invoice_id) : null
    const step = next.status === 'failed' ? await stepAfter(ctx, known, next) : FINAL_STEP
    const outbox = chargeOutcomeOutbox(ctx.now(), known, step, result)
    if (await ctx.storage.payments.update(next, outbox)) {
      const invoice = await ctx.storage.invoices.get(next.invoice_id)
      if (invoice !== null) await followOutcome(ctx, invoice, next, step, now)
      const attached = await attachCheckoutCard(ctx, next, now)
      return { payment: attached, changed: true, ...(mismatch ? { mismatch } : {}) }
    }
    const latest = await ctx.storage.payments.get(payment.id)
    if (latest === null) return { payment, changed: false }
    payment = latest
  }
}
