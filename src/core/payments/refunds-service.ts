import type { BillingContext } from '../context.js'
import { ErrorCode, GatewayError, NotFoundError, ValidationError } from '../errors.js'
import { isSafeText } from '../text.js'
import { isoTime } from '../time/iso-time.js'
import type { RefundResult } from './gateway-port.js'
import { OFFLINE_GATEWAY } from './offline-payments.js'
import { gatewayOf } from './payment-methods-service.js'
import { newlyRefunded, refundedOutbox } from './payment-notifications.js'
import { answerRefund, type RefundAsk, refundFromWebhook, reserveRefund } from './refund-ledger.js'
import type { Payment, PaymentRefund } from './types.js'

/** What `billing.payments.refund` takes. */
export interface RefundInput {
  payment_id: string
  /** Integer minor units, at most what is left to refund; default all of it. */
  amount?: number
  /**
   * Names this refund of this payment (1 to 255 characters): calling again with the same key
   * answers the same refund, never a second one, whenever it is called. Without a key, a call with
   * the same amount as the refund still waiting for the gateway's answer is that refund.
   */
  idempotency_key?: string
}

const MAX_KEY_LENGTH = 255

function notFound(id: unknown): NotFoundError {
  return new NotFoundError(`payment ${String(id)} does not exist`, { id, resource: 'payment' })
}

function askOf(input: RefundInput): RefundAsk {
  const key = input.idempotency_key
  if (key !== undefined && (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH)) {
    throw new ValidationError(
      ErrorCode.INVALID_IDEMPOTENCY_KEY,
      `idempotency_key must be a string of 1 to ${MAX_KEY_LENGTH} characters`,
      { path: 'idempotency_key' },
    )
  }
  if (key !== undefined && !isSafeText(key)) {
    throw new ValidationError(ErrorCode.INVALID_STRING, 'idempotency_key is not well-formed text', {
      path: 'idempotency_key',
    })
  }
  return { amount: input.amount, idempotency_key: key ?? null }
}

/**
 * Writes `change(payment)` by compare-and-set on `revision`, rereading after every lost race;
 * `change` answering null writes nothing. A refund that succeeds in the write is reported with it
 * (`payment.refunded`).
 */
async function changePayment(
  ctx: BillingContext,
  id: string,
  change: (p: Payment) => Payment | null,
): Promise<{ payment: Payment; changed: boolean }> {
  for (;;) {
    const payment = await ctx.storage.payments.get(id)
    if (payment === null) throw notFound(id)
    const next = change(payment)
    if (next === null) return { payment, changed: false }
    const written = { ...next, revision: payment.revision + 1 }
    const outbox =
      newlyRefunded(payment, written).length === 0
        ? undefined
        : refundedOutbox(ctx.now(), payment, await ctx.storage.invoices.get(payment.invoice_id))
    if (await ctx.storage.payments.update(written, outbox)) return { payment: written, changed: true }
  }
}

// An unknown outcome (timeout, dropped connection, 5xx) may have refunded: the reservation stays.
// A 429 says the request was not processed, and every other failure is a refusal: released.
function outcomeUnknown(error: unknown): boolean {
  return error instanceof GatewayError && error.retryable && error.http_status !== 429
}

async function sendRefund(ctx: BillingContext, payment: Payment, refund: PaymentRefund): Promise<Payment> {
  let answer: RefundResult
  try {
    answer = await gatewayOf(ctx, payment.gateway).refund({
      reference: payment.reference,
      gateway_id: payment.gateway_id,
      amount: refund.amount,
      currency: payment.currency,
    })
  } catch (error) {
    if (outcomeUnknown(error)) {
      ctx.logger.warn('refund outcome unknown: left requested for its webhook', {
        payment_id: payment.id,
        refund: refund.reference,
      })
      return (await ctx.storage.payments.get(payment.id)) ?? payment
    }
    const now = isoTime(ctx.now())
    await changePayment(ctx, payment.id, (p) => answerRefund(p, refund.reference, 'release', now))
    throw error
  }
  const now = isoTime(ctx.now())
  return (await changePayment(ctx, payment.id, (p) => answerRefund(p, refund.reference, answer, now))).payment
}

/**
 * `billing.payments.refund`: refunds a successful payment, whole or in part (`amount` in minor
 * units, at most what is left), **exactly once**. The refund is first recorded on the payment by
 * compare-and-set (status `requested`, its amount held against what is left), and only the call
 * that recorded it asks the gateway. A retry of that call (same `idempotency_key`, or without a
 * key the same amount while it awaits the gateway's answer) and any number of concurrent callers,
 * in this process or others, get that refund back and never send a second one; a different refund
 * meanwhile is `REFUND_IN_PROGRESS`, more than is left `INVALID_REFUND`. When the gateway's answer
 * is lost (timeout, dropped connection, 5xx) the refund stays `requested`, holding its amount, and
 * the refund webhook settles it. A refusal (4xx, bad key, 429) releases the amount and is thrown.
 *
 * @example
 * const payment = await refundPayment(ctx, { payment_id: 'py_…', amount: 50_000, idempotency_key: 'ticket-812' })
 * payment.refunds.at(-1) // { reference: 'kbm-…-r1', status: 'pending', amount: 50_000, … }
 */
export async function refundPayment(ctx: BillingContext, input: RefundInput): Promise<Payment> {
  const payment_id = input?.payment_id
  if (typeof payment_id !== 'string') throw notFound(payment_id)
  const ask = askOf(input)
  let reserved: PaymentRefund | null = null
  const { payment } = await changePayment(ctx, payment_id, (p) => {
    if (p.gateway === OFFLINE_GATEWAY) {
      throw new ValidationError(
        ErrorCode.INVALID_REFUND,
        `payment ${p.id} was received offline: refund it the way it came`,
        { path: 'payment_id' },
      )
    }
    const decision = reserveRefund(p, ask, isoTime(ctx.now()))
    reserved = decision.kind === 'reserve' ? decision.refund : null
    return decision.kind === 'reserve' ? decision.payment : null
  })
  if (reserved === null) return payment
  return sendRefund(ctx, payment, reserved)
}

/**
 * Settles a refund of a payment from a refund webhook, idempotently. The refund is matched by the
 * gateway's refund id, so a redelivered event about an earlier refund never settles a later one of
 * the same amount; a refund whose answer was lost is matched by amount. A refund already settled is
 * left as it is (`changed: false`).
 *
 * @example
 * await settleRefund(ctx, payment, { status: 'succeeded', refund_id: '3018284', amount: 50_000 })
 */
export async function settleRefund(
  ctx: BillingContext,
  payment: Payment,
  event: { status: RefundResult['status']; refund_id: string | null; amount: number | null },
): Promise<{ payment: Payment; changed: boolean }> {
  const now = isoTime(ctx.now())
  return changePayment(ctx, payment.id, (p) => refundFromWebhook(p, event, now))
}
