/**
 * The refunds of one payment as a ledger, in pure functions: what a refund call reserves, what the
 * gateway's answer or a refund webhook changes. Every function takes the payment as stored and
 * returns the payment to write by compare-and-set (or what to answer without writing), so two
 * callers deciding from one revision can never both send a refund.
 */
import { ConflictError, ErrorCode, ValidationError } from '../errors.js'
import type { RefundResult } from './gateway-port.js'
import type { Payment, PaymentRefund } from './types.js'

/** A refund call, checked: `amount` undefined means all that is left. */
export interface RefundAsk {
  amount: number | undefined
  idempotency_key: string | null
}

/** What a refund call does: send the refund it reserved, or answer with one already there. */
export type RefundReservation =
  | { kind: 'reserve'; payment: Payment; refund: PaymentRefund }
  | { kind: 'existing'; refund: PaymentRefund }

// A retry must find its refund whatever happened since (settled, or nothing left to refund), so
// the calls already on record are matched before anything is checked against what is left.
function existingRefund(payment: Payment, ask: RefundAsk): PaymentRefund | null {
  const { refunds } = payment
  if (ask.idempotency_key !== null) {
    const keyed = refunds.find((r) => r.idempotency_key === ask.idempotency_key)
    if (keyed === undefined) return null
    if (ask.amount !== undefined && ask.amount !== keyed.amount) {
      throw new ConflictError(
        `idempotency_key ${ask.idempotency_key} already refunded ${keyed.amount} of payment ${payment.id}`,
        { id: payment.id, resource: 'payment', path: 'idempotency_key' },
        ErrorCode.IDEMPOTENCY_CONFLICT,
      )
    }
    return keyed
  }
  const inFlight = refunds.find((r) => r.status === 'requested')
  if (inFlight === undefined || inFlight.idempotency_key !== null) return null
  // "All that is left" asked again while the refund that took all of it is in flight is that refund.
  const same =
    ask.amount === undefined ? payment.amount === payment.amount_refunded : ask.amount === inFlight.amount
  return same ? inFlight : null
}

/**
 * Decides a refund call against the payment as stored. A call that is a retry of a refund on
 * record (same `idempotency_key`; or, without a key, the same amount as the refund in flight)
 * answers that refund. Otherwise a new refund is reserved: its amount counts against what is left
 * at once, with status `requested`. One refund is in flight per payment at a time: another while
 * one is `requested` is `REFUND_IN_PROGRESS`.
 *
 * @example
 * const r = reserveRefund(payment, { amount: 50_000, idempotency_key: null }, '2027-01-02T00:00:00.000Z')
 * if (r.kind === 'reserve') await storage.payments.update({ ...r.payment, revision: payment.revision + 1 })
 */
export function reserveRefund(payment: Payment, ask: RefundAsk, now: string): RefundReservation {
  const existing = existingRefund(payment, ask)
  if (existing !== null) return { kind: 'existing', refund: existing }
  const inFlight = payment.refunds.find((r) => r.status === 'requested')
  if (inFlight !== undefined) {
    throw new ConflictError(
      `refund ${inFlight.reference} of payment ${payment.id} has no answer from the gateway yet: its webhook settles it`,
      { id: payment.id, resource: 'payment', refund: inFlight.reference },
      ErrorCode.REFUND_IN_PROGRESS,
    )
  }
  const left = payment.amount - payment.amount_refunded
  const amount = ask.amount ?? left
  if (payment.status !== 'succeeded' || !Number.isSafeInteger(amount) || amount <= 0 || amount > left) {
    throw new ValidationError(
      ErrorCode.INVALID_REFUND,
      payment.status !== 'succeeded'
        ? `payment ${payment.id} is ${payment.status}: only a successful payment is refunded`
        : left === 0
          ? `payment ${payment.id} has nothing left to refund`
          : `amount must be a whole number of minor units from 1 to ${left}`,
      { path: payment.status !== 'succeeded' ? 'payment_id' : 'amount', left },
    )
  }
  const refund: PaymentRefund = {
    id: null,
    reference: `${payment.reference}-r${payment.refunds.length + 1}`,
    idempotency_key: ask.idempotency_key,
    amount,
    status: 'requested',
    created_at: now,
  }
  const refunds = [...payment.refunds, refund]
  return {
    kind: 'reserve',
    payment: { ...payment, refunds, amount_refunded: payment.amount_refunded + amount, updated_at: now },
    refund,
  }
}

/**
 * The gateway's answer to a refund request, written on its reserved entry: `failed` gives the amount
 * back, `release` (the request was refused before anything was done) removes the entry. Null when
 * the entry is no longer `requested` (a webhook settled it first): nothing to write.
 *
 * @example
 * const next = answerRefund(payment, 'kbm-inv-1-1-r1', { status: 'pending', refund_id: '3018284', amount: 50_000 }, now)
 */
export function answerRefund(
  payment: Payment,
  reference: string,
  answer: RefundResult | 'release',
  now: string,
): Payment | null {
  const refund = payment.refunds.find((r) => r.reference === reference)
  if (refund === undefined || refund.status !== 'requested') return null
  if (answer === 'release') {
    const refunds = payment.refunds.filter((r) => r !== refund)
    return { ...payment, refunds, amount_refunded: payment.amount_refunded - refund.amount, updated_at: now }
  }
  return settled(payment, refund, answer.status, answer.refund_id, now)
}

// The refund a webhook is about: the one with the gateway's refund id when the event carries it.
// Only a refund whose id was never learnt (its answer is lost or still on its way) is matched by
// amount, oldest first.
function refundOfEvent(refunds: PaymentRefund[], refund_id: string | null, amount: number | null) {
  if (refund_id !== null) {
    const byId = refunds.find((r) => r.id === refund_id)
    if (byId !== undefined) return byId
  }
  return refunds.find(
    (r) =>
      r.id === null &&
      (r.status === 'requested' || r.status === 'pending') &&
      (amount === null || r.amount === amount),
  )
}

/**
 * A refund webhook applied to the payment, or null when it changes nothing (a redelivery, or an
 * event about a refund already settled). A `pending` event only tells a `requested` refund that the
 * gateway has it; `succeeded` and `failed` settle a refund for good.
 *
 * @example
 * const next = refundFromWebhook(payment, { status: 'succeeded', refund_id: '3018284', amount: 50_000 }, now)
 */
export function refundFromWebhook(
  payment: Payment,
  event: { status: RefundResult['status']; refund_id: string | null; amount: number | null },
  now: string,
): Payment | null {
  const refund = refundOfEvent(payment.refunds, event.refund_id, event.amount)
  if (refund === undefined) return null
  const open = refund.status === 'requested' || (refund.status === 'pending' && event.status !== 'pending')
  return open ? settled(payment, refund, event.status, event.refund_id, now) : null
}

function settled(
  payment: Payment,
  refund: PaymentRefund,
  status: RefundResult['status'],
  refund_id: string | null,
  now: string,
): Payment {
  const next: PaymentRefund = { ...refund, status, id: refund.id ?? refund_id }
  const refunds = payment.refunds.map((r) => (r === refund ? next : r))
  const amount_refunded =
    status === 'failed' ? payment.amount_refunded - refund.amount : payment.amount_refunded
  return { ...payment, refunds, amount_refunded, updated_at: now }
}
