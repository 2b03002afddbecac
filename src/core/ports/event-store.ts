import type { PreparedEvent, StoredEvent } from '../events/types.js'
import type { EffectsFn, MeterWarning } from '../meters/meter-effects.js'
import type { Meter } from '../meters/types.js'
import type { AllowanceRecord } from './entitlement-store.js'

/** Turns the meters current inside a transaction into the rollup effects of each event. */
export type EffectsOf = (meters: readonly Meter[]) => EffectsFn

/**
 * The outcome of appending one event. An event weighed against open allowances carries them as the
 * transaction left them (`allowances`), so a caller's view is exact for its own appends.
 * `closed`: its customer's usage is closed after its timestamp
 * (see {@link EventStore.closePeriods}); it was not stored.
 */
export type AppendOutcome =
  | { status: 'accepted'; warnings: MeterWarning[]; allowances?: readonly AllowanceRecord[] }
  | { status: 'duplicate' | 'conflict'; stored_hash: string }
  | { status: 'closed'; closed_before: number }
  | { status: 'refused'; refusal: Refusal; allowances?: readonly AllowanceRecord[] }

/**
 * Why an open allowance refused an event (nothing was stored): `QUOTA_EXCEEDED` when it would take
 * an enforced allowance past its limit, `SUBSCRIPTION_*` when an enforced allowance is blocked,
 * `RESERVATION_*` when the reservation it names cannot settle.
 */
export interface Refusal {
  code:
    | 'QUOTA_EXCEEDED'
    | 'SUBSCRIPTION_PAUSED'
    | 'SUBSCRIPTION_CANCELED'
    | 'RESERVATION_NOT_FOUND'
    | 'RESERVATION_NOT_HELD'
    | 'RESERVATION_EXPIRED'
    | 'RESERVATION_MISMATCH'
  meter: string
  /** The allowance's limit and what was used or held, decimal strings (`QUOTA_EXCEEDED`). */
  limit?: string
  used?: string
}

/** A page request over one customer's events, in (timestamp, seq) order. */
export interface EventQuery {
  customer_id: string
  /** Inclusive lower bound, epoch ms. */
  from?: number
  /** Exclusive upper bound, epoch ms. */
  to?: number
  /** Resume strictly after this (timestamp, seq) position. */
  after?: { timestamp: number; seq: number }
  limit: number
}

/** Raw events of one customer and event name in `[from, to)`, for windows' partial buckets. */
export interface EdgeQuery {
  customer_id: string
  event_name: string
  from: number
  to: number
}

/** Closes one customer's usage before an instant: later appends of earlier events are refused. */
export interface PeriodClose {
  customer_id: string
  before: number
}

/**
 * The event log: append-only, deduplicated by idempotency key, with the meters' rollups written in
 * the same transaction as the events they count.
 *
 * @example
 * const [outcome] = await storage.events.append([prepared], (meters) => compileMeterEffects(meters))
 */
export interface EventStore {
  /**
   * Stores events and their rollup deltas in one transaction, and resolves only once it is
   * durably committed. Keys in `events` are distinct.
   *
   * Concurrency: for each idempotency key, exactly one call ever stores it, across all callers and
   * processes; every later call gets `duplicate` (same payload hash) or `conflict` (different),
   * with the stored hash, and changes nothing. The deltas of an event are applied exactly when it is
   * stored, computed by `effects` under the meters current inside that transaction (a meter being
   * created concurrently either sees the event in its backfill or counts it here, never both).
   * A new key whose customer's usage is closed after its timestamp is not stored: `closed`.
   * A stored key is `duplicate`/`conflict` even when its period has since closed.
   */
  append(events: readonly PreparedEvent[], effects: EffectsOf): Promise<AppendOutcome[]>

  /** A page of one customer's events in (timestamp, seq) order. */
  list(query: EventQuery): Promise<StoredEvent[]>

  /** One customer's events of one name in `[from, to)`: the partial buckets at a window's edges. */
  readEdges(query: EdgeQuery): Promise<StoredEvent[]>

  /**
   * Raises each customer's closed-usage mark to `before` (never lowers it). When this resolves, every
   * append that could still store an event of that customer before `before` has committed, and every
   * later one answers `closed`: usage read afterwards is final.
   */
  closePeriods(closes: readonly PeriodClose[]): Promise<void>
}
