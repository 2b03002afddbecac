import { allowanceNotices } from '../alerts/allowance-notices.js'
import type { AlertThreshold } from '../alerts/types.js'
import type { RollupDelta } from '../meters/types.js'
import { Decimal } from '../money/decimal.js'
import type { AllowanceRecord, NotificationRecord, Refusal, ReservationRecord } from '../ports/index.js'
import { add, compare, isZero, type Quantity, quantityOf, quantityText, subtract } from './quantity.js'

/** An event as the ledger weighs it: what it adds to limited meters and what it settles. */
export interface LedgerEvent {
  idempotency_key: string
  customer_id: string
  timestamp: number
  reservation_id?: string
  /** Its rollup deltas on limited meters (others are ignored). */
  deltas: readonly RollupDelta[]
}

/**
 * The allowances and reservations one transaction holds locked, changed in place as events are
 * weighed, so a storage writes back exactly what changed. Both storages (memory and SQL) use it:
 * the rules of limits and reservations live here once.
 *
 * @example
 * const ledger = new AllowanceLedger(lockedAllowances, namedReservations, now)
 * const refusal = ledger.admit(event, true) // null: counted; else why it was refused
 */
export class AllowanceLedger {
  readonly #byCustomer = new Map<string, Map<string, AllowanceRecord[]>>()
  readonly #reservations: Map<string, ReservationRecord>
  readonly #now: number
  readonly #changedAllowances = new Set<AllowanceRecord>()
  /** Changed allowances with more than `used` changed (holds, expiries, marks of notices). */
  readonly #reshaped = new Set<AllowanceRecord>()
  readonly changedReservations = new Set<ReservationRecord>()
  /** The numbers of the allowances events were weighed against, parsed once per transaction. */
  readonly #standings = new Map<AllowanceRecord, Standing>()
  /** Standings whose `used` is ahead of their record, written back by `#flush`. */
  readonly #unwritten: Standing[] = []
  /** The quantities of the event being weighed, one per delta (reused from event to event). */
  readonly #quantities: Quantity[] = []

  /**
   * `allowances` and `reservations` are this transaction's locked copies; `held` lists, for each
   * allowance whose `next_expiry` has passed, all its held reservations (to expire them).
   */
  constructor(
    allowances: readonly AllowanceRecord[],
    reservations: readonly ReservationRecord[],
    now: number,
    held: readonly ReservationRecord[] = [],
  ) {
    this.#now = now
    this.#reservations = new Map(reservations.map((r) => [r.id, r]))
    for (const r of held) if (!this.#reservations.has(r.id)) this.#reservations.set(r.id, r)
    for (const allowance of allowances) {
      let meters = this.#byCustomer.get(allowance.customer_id)
      if (meters === undefined) {
        meters = new Map()
        this.#byCustomer.set(allowance.customer_id, meters)
      }
      const list = meters.get(allowance.meter)
      if (list === undefined) meters.set(allowance.meter, [allowance])
      else list.push(allowance)
      if (allowance.next_expiry !== null && allowance.next_expiry <= now) this.#expire(allowance)
    }
  }

  /** The allowances this ledger changed, as they now stand (what the storage writes back). */
  get changedAllowances(): ReadonlySet<AllowanceRecord> {
    this.#flush()
    return this.#changedAllowances
  }

  /**
   * Whether weighing events is all that changed the allowance (its `used`): a storage may then
   * write back only that. False for one it did not change.
   *
   * @example
   * const narrow = [...ledger.changedAllowances].filter((a) => ledger.onlyCounted(a))
   */
  onlyCounted(allowance: AllowanceRecord): boolean {
    return this.#changedAllowances.has(allowance) && !this.#reshaped.has(allowance)
  }

  /** The allowance of a customer's meter whose period contains `timestamp`, if open. */
  allowanceAt(customer_id: string, meter: string, timestamp: number): AllowanceRecord | undefined {
    this.#flush()
    return this.#at(customer_id, meter, timestamp)
  }

  /**
   * Weighs one event: refuses it (changing nothing) when it would take an enforced allowance past
   * its limit or names a reservation it cannot settle; otherwise counts its quantities and settles
   * its reservation. With `enforce` false it is counted whatever the limits (an event already stored).
   */
  admit(event: LedgerEvent, enforce: boolean): Refusal | null {
    const reservation =
      event.reservation_id === undefined ? undefined : this.#reservations.get(event.reservation_id)
    if (enforce && event.reservation_id !== undefined) {
      const problem = reservationProblem(reservation, event, this.#now)
      if (problem !== null) return problem
    }
    const settles = (allowance: AllowanceRecord) =>
      reservation !== undefined &&
      reservation.status === 'held' &&
      reservation.meter === allowance.meter &&
      reservation.period_start === allowance.period_start
    const deltas = event.deltas
    const quantities = this.#quantities
    for (let i = 0; i < deltas.length; i++) {
      const delta = deltas[i]!
      quantities[i] = delta.sum === null ? delta.count : quantityOf(delta.sum)
    }
    if (enforce) {
      for (let i = 0; i < deltas.length; i++) {
        const allowance = this.#at(event.customer_id, deltas[i]!.meter, event.timestamp)
        if (allowance === undefined || !allowance.enforce || settles(allowance)) continue
        if (allowance.blocked && event.timestamp >= (allowance.blocked_at ?? Number.NEGATIVE_INFINITY)) {
          const code = allowance.blocked === 'paused' ? 'SUBSCRIPTION_PAUSED' : 'SUBSCRIPTION_CANCELED'
          return { code, meter: allowance.meter }
        }
        const quantity = quantities[i]!
        const standing = this.#standing(allowance)
        if (!isZero(quantity) && exceeds(standing, quantity)) {
          return {
            code: 'QUOTA_EXCEEDED',
            meter: allowance.meter,
            limit: quantityText(standing.total!),
            used: quantityText(add(standing.used, allowance.reserved)),
          }
        }
      }
    }
    let settled: Quantity | null = null
    for (let i = 0; i < deltas.length; i++) {
      const allowance = this.#at(event.customer_id, deltas[i]!.meter, event.timestamp)
      if (allowance === undefined) continue
      const quantity = quantities[i]!
      const standing = this.#standing(allowance)
      standing.used = add(standing.used, quantity)
      if (!standing.unwritten) {
        standing.unwritten = true
        this.#unwritten.push(standing)
      }
      this.#changedAllowances.add(allowance)
      if (settles(allowance)) settled = settled === null ? quantity : add(settled, quantity)
    }
    if (reservation !== undefined && reservation.status === 'held') {
      const allowance = this.#allowanceOf(reservation)
      if (allowance !== undefined) this.#free(allowance, reservation)
      reservation.status = 'settled'
      reservation.settled_by = event.idempotency_key
      reservation.settled_quantity = settled === null ? '0' : quantityText(settled)
      this.changedReservations.add(reservation)
    }
    return null
  }

  /**
   * Holds a new reservation's quantity on its allowance unless that would pass an enforced limit.
   *
   * @example
   * ledger.hold(reservation) // true: held
   */
  hold(reservation: ReservationRecord): boolean {
    const allowance = this.#allowanceOf(reservation)
    if (allowance === undefined) return false
    if (allowance.enforce && allowance.blocked) return false
    const quantity = quantityOf(reservation.quantity)
    if (allowance.enforce && exceeds(this.#standing(allowance), quantity)) return false
    allowance.reserved = quantityText(add(quantityOf(allowance.reserved), quantity))
    if (allowance.next_expiry === null || reservation.expires_at < allowance.next_expiry) {
      allowance.next_expiry = reservation.expires_at
    }
    this.#reshape(allowance)
    this.#reservations.set(reservation.id, reservation)
    return true
  }

  /**
   * Ends a held reservation by release (or expiry, when past it) and frees its quantity.
   *
   * @example
   * ledger.release(reservation)
   */
  release(reservation: ReservationRecord): void {
    if (reservation.status !== 'held') return
    const allowance = this.#allowanceOf(reservation)
    if (allowance !== undefined) this.#free(allowance, reservation)
    reservation.status = reservation.expires_at <= this.#now ? 'expired' : 'released'
    this.changedReservations.add(reservation)
  }

  /**
   * The notifications the changed allowances call for (thresholds reached, exhaustion), marked in
   * them: written in the same transaction as the allowances.
   *
   * @example
   * const records = ledger.notices() // written with ledger.changedAllowances
   */
  notices(): NotificationRecord[] {
    const out: NotificationRecord[] = []
    for (const allowance of this.changedAllowances) {
      if (this.#quiet(allowance)) continue
      const notes = allowanceNotices(allowance, this.#now)
      if (notes.length === 0) continue
      // Notices mark what fired in the allowance itself.
      this.#reshaped.add(allowance)
      out.push(...notes)
    }
    return out
  }

  // Whether the allowance surely calls for no notification: every alert left to fire still below
  // its threshold, and usage (weighed in this ledger) below the limit. Anything else, and amount
  // thresholds (priced), is left to `allowanceNotices`.
  #quiet(allowance: AllowanceRecord): boolean {
    const standing = this.#standings.get(allowance)
    if (standing === undefined) return false
    this.#refresh(standing, allowance)
    for (const mark of allowance.alerts ?? []) {
      if (mark.fired_at === null && !below(mark.threshold, standing.used, standing.total)) return false
    }
    return standing.total === null || compare(standing.used, standing.total) < 0
  }

  #at(customer_id: string, meter: string, timestamp: number): AllowanceRecord | undefined {
    const list = this.#byCustomer.get(customer_id)?.get(meter)
    if (list === undefined) return undefined
    for (const a of list) if (a.period_start <= timestamp && timestamp < a.period_end) return a
    return undefined
  }

  #allowanceOf(reservation: ReservationRecord): AllowanceRecord | undefined {
    return this.#byCustomer
      .get(reservation.customer_id)
      ?.get(reservation.meter)
      ?.find((a) => a.period_start === reservation.period_start)
  }

  // The allowance's standing, its limit side recomputed if the record's limit, top-ups or holds
  // changed since (holds, releases and expiries rewrite `reserved`).
  #standing(allowance: AllowanceRecord): Standing {
    let standing = this.#standings.get(allowance)
    if (standing === undefined) {
      standing = {
        allowance,
        used: quantityOf(allowance.used),
        unwritten: false,
        limit: undefined,
        granted: '',
        reserved: '',
        total: null,
        room: null,
      }
      this.#standings.set(allowance, standing)
    }
    this.#refresh(standing, allowance)
    return standing
  }

  #refresh(standing: Standing, allowance: AllowanceRecord): void {
    const { limit, granted, reserved } = allowance
    if (standing.limit === limit && standing.granted === granted && standing.reserved === reserved) return
    standing.limit = limit
    standing.granted = granted
    standing.reserved = reserved
    standing.total = limit === null ? null : add(quantityOf(limit), granted)
    standing.room = standing.total === null ? null : subtract(standing.total, reserved)
  }

  // Writes the weighed usage back into the records (before anything outside reads them).
  #flush(): void {
    const unwritten = this.#unwritten
    if (unwritten.length === 0) return
    for (const standing of unwritten) {
      standing.allowance.used = quantityText(standing.used)
      standing.unwritten = false
    }
    unwritten.length = 0
  }

  #free(allowance: AllowanceRecord, reservation: ReservationRecord): void {
    const left = subtract(quantityOf(allowance.reserved), reservation.quantity)
    allowance.reserved = compare(left, 0) < 0 ? '0' : quantityText(left)
    this.#reshape(allowance)
  }

  // Frees every held reservation of the allowance past its expiry; `next_expiry` becomes exact.
  #expire(allowance: AllowanceRecord): void {
    let next: number | null = null
    for (const r of this.#reservations.values()) {
      if (r.status !== 'held' || r.customer_id !== allowance.customer_id) continue
      if (r.meter !== allowance.meter || r.period_start !== allowance.period_start) continue
      if (r.expires_at <= this.#now) {
        this.#free(allowance, r)
        r.status = 'expired'
        this.changedReservations.add(r)
      } else if (next === null || r.expires_at < next) next = r.expires_at
    }
    allowance.next_expiry = next
    this.#reshape(allowance)
  }

  #reshape(allowance: AllowanceRecord): void {
    this.#changedAllowances.add(allowance)
    this.#reshaped.add(allowance)
  }
}

/**
 * An allowance's numbers as the ledger weighs events against it: `used` parsed once and kept as a
 * decimal until written back, and its limit side (`limit + granted`, less `reserved`) computed once
 * for the record's values.
 */
interface Standing {
  readonly allowance: AllowanceRecord
  used: Quantity
  /** `used` has grown since it was last written to the record. */
  unwritten: boolean
  /** The record's values `total` and `room` were computed from (`undefined`: not yet). */
  limit: string | null | undefined
  granted: string
  reserved: string
  /** `limit + granted`, null without a limit. */
  total: Quantity | null
  /** `limit + granted - reserved`: what `used` may reach. */
  room: Quantity | null
}

// Whether taking `quantity` more would pass the limit: used + reserved + quantity > limit +
// granted, compared as used + quantity against the standing's room (the right side less `reserved`).
function exceeds(standing: Standing, quantity: Quantity): boolean {
  return standing.room !== null && compare(add(standing.used, quantity), standing.room) > 0
}

// Whether usage `used` is surely below an alert threshold (as `allowanceNotices` judges it).
function below(threshold: AlertThreshold, used: Quantity, total: Quantity | null): boolean {
  if ('quantity' in threshold) return compare(used, quantityOf(String(threshold.quantity))) < 0
  if (!('percent' in threshold)) return false
  // A percentage of no limit is never reached; else used × 100 < total × percent.
  if (total === null) return true
  const percent = quantityOf(String(threshold.percent))
  if (typeof used === 'number' && typeof total === 'number' && typeof percent === 'number') {
    const [left, right] = [used * 100, total * percent]
    if (Number.isSafeInteger(left) && Number.isSafeInteger(right)) return left < right
  }
  return new Decimal(used).times(100).lessThan(new Decimal(total).times(percent))
}

function reservationProblem(
  reservation: ReservationRecord | undefined,
  event: LedgerEvent,
  now: number,
): Refusal | null {
  if (reservation === undefined) return { code: 'RESERVATION_NOT_FOUND', meter: '' }
  if (reservation.customer_id !== event.customer_id)
    return { code: 'RESERVATION_MISMATCH', meter: reservation.meter }
  if (reservation.status === 'expired' || (reservation.status === 'held' && reservation.expires_at <= now)) {
    return { code: 'RESERVATION_EXPIRED', meter: reservation.meter }
  }
  if (reservation.status !== 'held') return { code: 'RESERVATION_NOT_HELD', meter: reservation.meter }
  return null
}
