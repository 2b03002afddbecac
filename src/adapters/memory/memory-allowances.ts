import { AllowanceLedger } from '../../core/entitlements/allowance-ledger.js'
import type { AllowanceRecord, NotificationRecord, ReservationRecord } from '../../core/ports/index.js'

/**
 * The allowances and reservations the memory event and entitlement stores share. Records are kept
 * here and copied out on every read, so a caller can never change the store by editing a result.
 */
export class MemoryAllowances {
  /** Where the notifications of allowance changes go, in the same atomic step as the change. */
  readonly #outbox: (records: readonly NotificationRecord[]) => void

  constructor(outbox: (records: readonly NotificationRecord[]) => void) {
    this.#outbox = outbox
  }

  /** Meters with at least one open allowance: only their events are weighed at append. */
  readonly limited = new Set<string>()
  readonly #byPair = new Map<string, AllowanceRecord[]>()
  readonly reservations = new Map<string, ReservationRecord>()
  readonly reservationByKey = new Map<string, string>()

  /** The stored allowances of one customer's meter. */
  of(customer_id: string, meter: string): AllowanceRecord[] {
    return this.#byPair.get(`${customer_id}\u0000${meter}`) ?? []
  }

  /** Stores a new allowance. */
  add(allowance: AllowanceRecord): void {
    const key = `${allowance.customer_id}\u0000${allowance.meter}`
    this.#byPair.set(key, [...(this.#byPair.get(key) ?? []), allowance])
    this.limited.add(allowance.meter)
  }

  /** Every stored allowance. */
  all(): AllowanceRecord[] {
    return [...this.#byPair.values()].flat()
  }

  /**
   * A ledger over the allowances of the given customers' meters and the reservations they involve.
   * The ledger works on the stored records themselves: memory calls never interleave.
   */
  ledger(
    pairs: Iterable<readonly [customer_id: string, meter: string]>,
    reservationIds: Iterable<string>,
    now: number,
  ): AllowanceLedger {
    const allowances = new Set<AllowanceRecord>()
    for (const [customer, meter] of pairs) for (const a of this.of(customer, meter)) allowances.add(a)
    const named: ReservationRecord[] = []
    for (const id of reservationIds) {
      const r = this.reservations.get(id)
      if (r === undefined) continue
      named.push(r)
      for (const a of this.of(r.customer_id, r.meter)) allowances.add(a)
    }
    const held = [...this.reservations.values()].filter((r) => r.status === 'held')
    return new AllowanceLedger([...allowances], named, now, held)
  }

  /** Bumps the revision of every allowance the ledger changed and writes their notifications. */
  commit(ledger: AllowanceLedger): void {
    this.notify(ledger.notices())
    for (const allowance of ledger.changedAllowances) allowance.revision++
  }

  /** Writes notifications to the outbox. */
  notify(records: readonly NotificationRecord[]): void {
    if (records.length > 0) this.#outbox(records)
  }
}
