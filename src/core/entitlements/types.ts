/** A plan's allowance of one meter per billing period. */
export interface PlanLimit {
  /** The meter (a `count` or `sum` meter) whose period total is limited. */
  meter: string
  /** The period's allowance, in the meter's units. */
  quantity: number | string
  /** `reject`: usage past the limit is refused at ingest; `allow`: reported and alerted on only. */
  on_exceed: 'reject' | 'allow'
}

/** Why `check` or `reserve` refused, or why it could not say yes. */
export type EntitlementReason =
  | 'limit_reached'
  | 'subscription_paused'
  | 'subscription_canceled'
  | 'no_subscription'

/** What `billing.entitlements.check` takes. */
export interface CheckInput {
  customer_id: string
  meter: string
  /** The quantity about to be used (default 1). */
  quantity?: number | string
}

/** Whether a customer may use `quantity` more of a meter now, and where they stand this period. */
export interface EntitlementCheck {
  customer_id: string
  meter: string
  allowed: boolean
  reason: EntitlementReason | null
  /** The period's usage counted against the limit (with quantity held by live reservations). */
  used: number
  /** The period's allowance (plan limit or block, plus paid top-ups); null when unlimited. */
  limit: number | null
  remaining: number | null
  /** Whether the limit is enforced at ingest (`reject`, or a `pause` block). */
  enforced: boolean
  period_start: string | null
  period_end: string | null
}

/** What `billing.entitlements.reserve` takes. */
export interface ReserveInput {
  customer_id: string
  meter: string
  quantity: number | string
  /** The same key again returns the same reservation (or the same refusal is re-evaluated). */
  idempotency_key: string
  /** How long the hold lasts before it frees itself (default 5 minutes, at most 24 hours). */
  expires_in_ms?: number
}

/** A held quantity against a limit, settled by the event that names its id. */
export interface Reservation extends EntitlementCheck {
  /** Null when refused (`allowed: false`): nothing was held. */
  id: string | null
  idempotency_key: string
  quantity: number
  status: ReservationStatus | null
  expires_at: string | null
}

/** `held` until settled by its event, released, or past `expires_at` (then `expired`). */
export type ReservationStatus = 'held' | 'settled' | 'released' | 'expired'

/** Options of `createBilling({ entitlements })`. */
export interface EntitlementOptions {
  /** How often this process reloads what other processes changed (default 1,000 ms). */
  refreshMs?: number
  /** Whether customers without a subscription are allowed by `check` (default false). */
  allowWithoutSubscription?: boolean
}
