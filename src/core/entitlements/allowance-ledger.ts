import { allowanceNotices, allowanceTotal } from '../alerts/allowance-notices.js'
import type { RollupDelta } from '../meters/types.js'
import { Decimal } from '../money/decimal.js'
import type { AllowanceRecord, NotificationRecord, Refusal, ReservationRecord } from '../ports/index.js'

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
  readonly #byMeter = new Map<string, AllowanceRecord[]>()
  readonly #reservations: Map<string, ReservationRecord>
  readonly #now: number
  readonly changedAllowances = new Set<AllowanceRecord>()
  readonly changedReservations = new Set<ReservationRecord>()

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
      const key = pairKey(allowance.customer_id, allowance.meter)
      const list = this.#byMeter.get(key) ?? []
      list.push(allowance)
      this.#byMeter.set(key, list)
      if (allowance.next_expiry !== null && allowance.next_expiry <= now) this.#expire(allowance)
    }
  }

  /** The allowance of a customer's meter whose period contains `timestamp`, if open. */
  allowanceAt(customer_id: string, meter: string, timestamp: number): AllowanceRecord | undefined {
    return this.#byMeter
      .get(pairKey(customer_id, meter))
      ?.find((a) => a.period_start <= timestamp && timestamp < a.period_end)
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
    if (enforce) {
      for (const delta of event.deltas) {
        const allowance = this.allowanceAt(event.customer_id, delta.meter, event.timestamp)
        if (allowance === undefined || !allowance.enforce || settles(allowance)) continue
        if (allowance.blocked && event.timestamp >= (allowance.blocked_at ?? Number.NEGATIVE_INFINITY)) {
          const code = allowance.blocked === 'paused' ? 'SUBSCRIPTION_PAUSED' : 'SUBSCRIPTION_CANCELED'
          return { code, meter: allowance.meter }
        }
        const quantity = deltaQuantity(delta)
        const total = allowanceTotal(allowance)
        if (quantity.isZero() || total === null) continue
        const after = new Decimal(allowance.used).plus(allowance.reserved).plus(quantity)
        if (after.greaterThan(total)) {
          return {
            code: 'QUOTA_EXCEEDED',
            meter: allowance.meter,
            limit: total.toFixed(),
            used: new Decimal(allowance.used).plus(allowance.reserved).toFixed(),
          }
        }
      }
    }
    let settled: string | null = null
    for (const delta of event.deltas) {
      const allowance = this.allowanceAt(event.customer_id, delta.meter, event.timestamp)
      if (allowance === undefined) continue
      const quantity = deltaQuantity(delta)
      allowance.used = new Decimal(allowance.used).plus(quantity).toFixed()
      this.changedAllowances.add(allowance)
      if (settles(allowance)) settled = new Decimal(settled ?? 0).plus(quantity).toFixed()
    }
    if (reservation !== undefined && reservation.status === 'held') {
      const allowance = this.#allowanceOf(reservation)
      if (allowance !== undefined) this.#free(allowance, reservation)
      reservation.status = 'settled'
      reservation.settled_by = event.idempotency_key
      reservation.settled_quantity = settled ?? '0'
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
    const after = new Decimal(allowance.used).plus(allowance.reserved).plus(reservation.quantity)
    const total = allowanceTotal(allowance)
    if (allowance.enforce && total !== null && after.greaterThan(total)) return false
    allowance.reserved = new Decimal(allowance.reserved).plus(reservation.quantity).toFixed()
    if (allowance.next_expiry === null || reservation.expires_at < allowance.next_expiry) {
      allowance.next_expiry = reservation.expires_at
    }
    this.changedAllowances.add(allowance)
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
    for (const allowance of this.changedAllowances) out.push(...allowanceNotices(allowance, this.#now))
    return out
  }

  #allowanceOf(reservation: ReservationRecord): AllowanceRecord | undefined {
    return this.#byMeter
      .get(pairKey(reservation.customer_id, reservation.meter))
      ?.find((a) => a.period_start === reservation.period_start)
  }

  #free(allowance: AllowanceRecord, reservation: ReservationRecord): void {
    const left = new Decimal(allowance.reserved).minus(reservation.quantity)
    allowance.reserved = (left.isNegative() ? new Decimal(0) : left).toFixed()
    this.changedAllowances.add(allowance)
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
    this.changedAllowances.add(allowance)
  }
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

/** What one delta adds to an allowance: the sum of a `sum` meter, else the event count. */
export function deltaQuantity(delta: RollupDelta): Decimal {
  return delta.sum !== null ? new Decimal(delta.sum) : new Decimal(delta.count)
}

function pairKey(customer_id: string, meter: string): string {
  return `${customer_id}\u0000${meter}`
}
