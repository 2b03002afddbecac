import type { AlertMark } from '../alerts/types.js'
import type { NearLimitQuery } from './dashboard-queries.js'
import type { EffectsOf } from './event-store.js'

/** Which allowance: one customer's meter over one period, named by the period's start. */
export interface AllowanceKey {
  customer_id: string
  meter: string
  /** Epoch ms. */
  period_start: number
}

/** An allowance to open for a period (see {@link EntitlementStore.open}). */
export interface AllowanceOpening extends AllowanceKey {
  /** Epoch ms, exclusive. */
  period_end: number
  /**
   * The plan's allowance for the period (a limit's quantity or a block's size), a decimal string;
   * null for a meter only watched by alerts (it counts usage, limits nothing).
   */
  limit: string | null
  /** Whether an event that would take `used + reserved` past `limit + granted` is refused. */
  enforce: boolean
  /** The alert thresholds watched on this allowance (see {@link EntitlementStore.watch}). */
  alerts?: AlertMark[]
  /**
   * Set while the subscription is paused or canceled: an enforced allowance then refuses every
   * event that counts toward it. Absent on allowances stored before it existed (not blocked).
   */
  blocked?: 'paused' | 'canceled' | null
  /** Epoch ms from which `blocked` applies: events timestamped earlier are usage from before it. */
  blocked_at?: number | null
}

/**
 * A period's allowance of one meter for one customer and where it stands. Quantities are exact
 * decimal strings. `revision` grows by one with every write.
 */
export interface AllowanceRecord extends AllowanceOpening {
  /** Added by paid top-ups this period. */
  granted: string
  /** The meter's total over the period's stored events: every stored event counts once. */
  used: string
  /** Held by reservations still `held` (some may be past their expiry until the next write). */
  reserved: string
  /** The earliest expiry among held reservations (epoch ms), null when none is held. */
  next_expiry: number | null
  /** The `limit + granted` at which `entitlement.exhausted` was written, if it was. */
  exhausted_limit?: string | null
  revision: number
}

/** A reservation as stored. `expired` is written when a later transaction frees its quantity. */
export interface ReservationRecord extends AllowanceKey {
  id: string
  idempotency_key: string
  quantity: string
  status: 'held' | 'settled' | 'released' | 'expired'
  /** Epoch ms. */
  expires_at: number
  created_at: number
  /** The idempotency key of the event that settled it, and the quantity it used. */
  settled_by: string | null
  settled_quantity: string | null
}

/** What `reserve` did: the stored reservation (new or the key's earlier one), or null when refused. */
export interface ReserveOutcome {
  reservation: ReservationRecord | null
  created: boolean
  /** The allowance after this call. */
  allowance: AllowanceRecord
}

/**
 * Allowances (per customer, meter and period) and the reservations held against them. Appends keep
 * `used` exact: once an allowance is open, every event stored in its period that counts toward its
 * meter adds to it in the same transaction that stores the event, from any process.
 *
 * Notifications: every transaction that changes an allowance's `used`, `granted` or alert marks
 * (an append, `open`, `watch`, `grant`) writes to the outbox, in that transaction, the
 * notifications `allowanceNotices` / `restoredNotice` give for it (thresholds reached,
 * `entitlement.exhausted`, `entitlement.restored`), with the marks they set: each once per period.
 *
 * @example
 * const [allowance] = await storage.entitlements.open([opening], (meters) => compileMeterEffects(meters))
 */
export interface EntitlementStore {
  /**
   * Stores each allowance unless one exists for its key, with `used` computed from the events
   * already stored in its period (`effects` gives each event's quantity), and from then on counts
   * every append of its meter. Returns the stored allowances, new or existing, in input order.
   * Concurrency: of concurrent opens of one key, across processes, exactly one stores it, and no
   * event is counted twice or missed, whatever appends run meanwhile.
   */
  open(openings: readonly AllowanceOpening[], effects: EffectsOf, now: number): Promise<AllowanceRecord[]>

  /**
   * Sets the alert marks of an open allowance (keeping the fired state of marks it already has, by
   * id) and writes, in the same transaction, the notifications of thresholds already reached.
   * Returns the allowance as written, or null when it is not open.
   */
  watch(key: AllowanceKey, marks: readonly AlertMark[], now: number): Promise<AllowanceRecord | null>

  /** The stored allowances of the given customers and meters whose period contains `at`. */
  read(keys: ReadonlyArray<{ customer_id: string; meter: string }>, at: number): Promise<AllowanceRecord[]>

  /**
   * Holds `reservation.quantity` against its allowance unless `used + reserved + quantity` would
   * pass `limit + granted` on an enforced allowance, in one transaction that first frees the
   * quantity of reservations past their expiry at `now`. The same idempotency key again answers
   * with the stored reservation (`created: false`) and holds nothing more. The allowance must be
   * open. Concurrency: concurrent reserves and appends against one allowance never hold or count
   * past its limit.
   */
  reserve(reservation: ReservationRecord, now: number): Promise<ReserveOutcome>

  /** A reservation by id, or null. */
  getReservation(id: string): Promise<ReservationRecord | null>

  /**
   * Moves a `held` reservation to `released` (or to `expired` when past its expiry at `now`),
   * freeing its quantity, and returns it as stored afterwards with whether this call changed it (a
   * reservation in another status is returned unchanged). Null when there is no such reservation.
   * Concurrency: of concurrent releases of one reservation exactly one changes it.
   */
  release(id: string, now: number): Promise<{ reservation: ReservationRecord; changed: boolean } | null>

  /**
   * Frees the quantity of every reservation past its expiry at `now` on the given allowances (all
   * allowances when omitted) and returns how many expired. Appends and reserves do the same for the
   * allowances they touch, so this is never required for correctness.
   */
  expire(now: number): Promise<number>

  /**
   * Adds `quantity` to the `granted` of an open allowance and returns it, or null when it is not
   * open. Concurrency: concurrent grants all add.
   */
  grant(key: AllowanceKey, quantity: string, now: number): Promise<AllowanceRecord | null>

  /**
   * Sets (or clears, with null) `blocked` from `at` on the customer's allowances whose period
   * contains `at`, under their row locks, and returns them as written.
   */
  block(customer_id: string, at: number, blocked: 'paused' | 'canceled' | null): Promise<AllowanceRecord[]>

  /**
   * The allowances with a limit, of the periods containing `at`, whose fill (see `allowanceFill`)
   * is at least `ratio`: fullest first, ties by customer id then meter, a page after `after`.
   * The fill is stored with each write, so the storage filters and orders by an index.
   */
  nearLimit(query: NearLimitQuery): Promise<AllowanceRecord[]>
}
