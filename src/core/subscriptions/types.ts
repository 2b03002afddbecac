import type { Metadata } from '../customers/types.js'
import type { Interval } from '../periods/index.js'
import type { TimeInput } from '../time/time-input.js'

/** A subscription's state: `trialing` and `canceled` follow from its dates; the others are kept. */
export type SubscriptionStatus = 'trialing' | 'active' | 'past_due' | 'paused' | 'canceled'

/** What `billing.subscriptions.create` takes. */
export interface SubscriptionInput {
  customer_id: string
  plan_code: string
  /** Default: now. A date-only string means midnight in the customer's timezone. */
  start_at?: TimeInput
  /** Overrides the plan's `trial_days`. */
  trial_days?: number
  metadata?: Metadata
}

/** A stretch of a subscription on one plan, from `start` until the next phase starts. */
export interface SubscriptionPhase {
  start: number
  plan_code: string
  /** The version it started on; later versions apply from their first period start. */
  plan_version: number
  interval: Interval
  interval_count: number
}

/**
 * A subscription as the storage keeps it: everything the schedule needs, in epoch ms. `revision`
 * grows by one with every write (compare-and-set).
 */
export interface SubscriptionRecord {
  id: string
  customer_id: string
  currency: string
  timezone: string
  start_at: number
  trial_end: number | null
  /** `[start_at, …)` split by plan changes; `phases[0].start` is the first paid instant (trial end or start). */
  phases: SubscriptionPhase[]
  /** When it stops: a cancel's instant, or the period end for `at_period_end`. Null while open-ended. */
  end_at: number | null
  canceled_at: number | null
  cancel_at_period_end: boolean
  /** Kept states; `trialing` and `canceled` are derived from dates. */
  status: 'active' | 'past_due' | 'paused'
  /** The next invoice boundary not yet invoiced, null when none is left. */
  next_invoice_at: number | null
  revision: number
  created_at: number
  metadata: Metadata
}

/** A subscription as returned: its current period and plan, by the clock. */
export interface Subscription {
  id: string
  customer_id: string
  plan_code: string
  plan_version: number
  status: SubscriptionStatus
  currency: string
  start_at: string
  current_period_start: string
  current_period_end: string
  trial_end: string | null
  cancel_at_period_end: boolean
  canceled_at: string | null
  ended_at: string | null
  /** A plan change waiting for the next period: `{ plan_code, effective_at }`. */
  pending_change: { plan_code: string; effective_at: string } | null
  metadata: Metadata
  created_at: string
}
