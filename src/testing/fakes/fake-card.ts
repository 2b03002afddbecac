/**
 * Stored cards of the fake gateways and how each behaves when charged.
 *
 *   'approve'                                      every charge succeeds
 *   { kind: 'decline', reason?, shape? }           every charge is declined with `reason`
 *                                                  (Flutterwave: `shape` 'data' = 200 with data.status
 *                                                  'failed', 'envelope' = 400 error envelope)
 *   { kind: 'insufficient_funds_then_approve', after: n }  the first n charges fail "Insufficient Funds"
 *   'pending_3ds'                                  charges stay pending until `settle(reference, …)`
 */
import { BillingError, ErrorCode } from '../../core/errors.js'

/** How a seeded card answers charges. */
export type CardBehaviour =
  | 'approve'
  | 'pending_3ds'
  | { kind: 'approve' }
  | { kind: 'pending_3ds' }
  | { kind: 'decline'; reason?: string; shape?: 'data' | 'envelope' }
  | { kind: 'insufficient_funds_then_approve'; after: number }

/** A fake's stored card. */
export interface FakeCard {
  authorization: string
  email: string
  behaviour: CardBehaviour
  reusable: boolean
  last4: string
  brand: string
  exp_month: string
  exp_year: string
  /** Charges attempted so far. */
  attempts: number
  /** Failures since the last success (Paystack's card regulator counts these). */
  consecutive_failures: number
  last_attempt_at: number | null
}

/** What one charge of a card comes to. */
export interface CardOutcome {
  status: 'succeeded' | 'failed' | 'pending'
  reason: string
  shape: 'data' | 'envelope'
}

/**
 * Charges a card once: counts the attempt and returns the outcome its behaviour dictates.
 *
 * @example
 * chargeCard(card, now) // { status: 'failed', reason: 'Insufficient Funds', shape: 'data' }
 */
export function chargeCard(card: FakeCard, now: number): CardOutcome {
  card.attempts += 1
  card.last_attempt_at = now
  const outcome = outcomeOf(card.behaviour, card.attempts)
  if (outcome.status === 'failed') card.consecutive_failures += 1
  if (outcome.status === 'succeeded') card.consecutive_failures = 0
  return outcome
}

function outcomeOf(behaviour: CardBehaviour, attempt: number): CardOutcome {
  const b = typeof behaviour === 'string' ? { kind: behaviour } : behaviour
  switch (b.kind) {
    case 'approve':
      return { status: 'succeeded', reason: 'Approved', shape: 'data' }
    case 'pending_3ds':
      return { status: 'pending', reason: 'Pending validation', shape: 'data' }
    case 'decline':
      return { status: 'failed', reason: b.reason ?? 'Declined', shape: b.shape ?? 'data' }
    case 'insufficient_funds_then_approve':
      return attempt <= b.after
        ? { status: 'failed', reason: 'Insufficient Funds', shape: 'data' }
        : { status: 'succeeded', reason: 'Approved', shape: 'data' }
  }
}

/**
 * A new card record.
 *
 * @example
 * newCard('AUTH_1', 'ada@example.com', 'approve', true)
 */
export function newCard(
  authorization: string,
  email: string,
  behaviour: CardBehaviour,
  reusable: boolean,
): FakeCard {
  return {
    authorization,
    email,
    behaviour,
    reusable,
    last4: '4081',
    brand: 'visa',
    exp_month: '12',
    exp_year: '2030',
    attempts: 0,
    consecutive_failures: 0,
    last_attempt_at: null,
  }
}

/**
 * The error a fake throws when a test settles a charge that is not pending.
 *
 * @example
 * throw notPending('inv-1') // BillingError INVALID_STATE
 */
export function notPending(reference: string): BillingError {
  return new BillingError(ErrorCode.INVALID_STATE, `no pending transaction ${reference}`, { id: reference })
}
