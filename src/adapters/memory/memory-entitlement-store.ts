import { allowanceNotices, restoredNotice, setMarks } from '../../core/alerts/allowance-notices.js'
import type { AlertMark } from '../../core/alerts/types.js'
import { BillingError, ErrorCode } from '../../core/errors.js'
import { quantityOf, RollupAccumulator } from '../../core/meters/rollup.js'
import { Decimal } from '../../core/money/decimal.js'
import type {
  AllowanceKey,
  AllowanceOpening,
  AllowanceRecord,
  EffectsOf,
  EntitlementStore,
  NearLimitQuery,
  ReservationRecord,
  ReserveOutcome,
} from '../../core/ports/index.js'
import { copy } from './documents.js'
import type { MemoryAllowances } from './memory-allowances.js'
import { memoryNearLimit } from './memory-dashboard-queries.js'
import type { MemoryUsage } from './memory-usage.js'

/** The memory allowances: each call runs without yielding, so it is atomic like a transaction. */
export class MemoryEntitlementStore implements EntitlementStore {
  readonly #usage: MemoryUsage
  readonly #allowances: MemoryAllowances

  constructor(usage: MemoryUsage, allowances: MemoryAllowances) {
    this.#usage = usage
    this.#allowances = allowances
  }

  async open(
    openings: readonly AllowanceOpening[],
    effects: EffectsOf,
    now: number,
  ): Promise<AllowanceRecord[]> {
    return openings.map((opening) => {
      const existing = this.#find(opening)
      if (existing !== undefined) return copy(existing)
      const meter = this.#usage.meters.find((m) => m.code === opening.meter)
      const acc = new RollupAccumulator()
      if (meter !== undefined) {
        const effectsOf = effects([meter])
        const log = this.#usage.byCustomer.get(opening.customer_id)
        for (const event of log?.range(opening.period_start, opening.period_end) ?? []) {
          for (const delta of effectsOf(event).deltas) acc.add(delta)
        }
      }
      const record: AllowanceRecord = {
        ...opening,
        granted: '0',
        used: meter === undefined ? '0' : quantityOf(meter.aggregation, acc.result()),
        reserved: '0',
        next_expiry: null,
        revision: 1,
      }
      this.#allowances.notify(allowanceNotices(record, now))
      this.#allowances.add(record)
      return copy(record)
    })
  }

  async read(
    keys: ReadonlyArray<{ customer_id: string; meter: string }>,
    at: number,
  ): Promise<AllowanceRecord[]> {
    const out: AllowanceRecord[] = []
    for (const { customer_id, meter } of keys) {
      const found = this.#allowances
        .of(customer_id, meter)
        .find((a) => a.period_start <= at && at < a.period_end)
      if (found !== undefined) out.push(copy(found))
    }
    return out
  }

  async reserve(reservation: ReservationRecord, now: number): Promise<ReserveOutcome> {
    const allowances = this.#allowances
    const existingId = allowances.reservationByKey.get(reservation.idempotency_key)
    const ledger = allowances.ledger([[reservation.customer_id, reservation.meter]], [], now)
    const allowance = this.#find(reservation)
    if (allowance === undefined) {
      throw new BillingError(ErrorCode.INVALID_STATE, 'reserve needs an open allowance: open it first')
    }
    if (existingId !== undefined) {
      allowances.commit(ledger)
      return {
        reservation: copy(allowances.reservations.get(existingId)!),
        created: false,
        allowance: copy(allowance),
      }
    }
    const record = copy(reservation)
    const held = ledger.hold(record)
    if (held) {
      allowances.reservations.set(record.id, record)
      allowances.reservationByKey.set(record.idempotency_key, record.id)
    }
    allowances.commit(ledger)
    return { reservation: held ? copy(record) : null, created: held, allowance: copy(allowance) }
  }

  async getReservation(id: string): Promise<ReservationRecord | null> {
    const found = this.#allowances.reservations.get(id)
    return found === undefined ? null : copy(found)
  }

  async release(
    id: string,
    now: number,
  ): Promise<{ reservation: ReservationRecord; changed: boolean } | null> {
    const found = this.#allowances.reservations.get(id)
    if (found === undefined) return null
    const ledger = this.#allowances.ledger([[found.customer_id, found.meter]], [id], now)
    const changed = found.status === 'held'
    ledger.release(found)
    this.#allowances.commit(ledger)
    return { reservation: copy(found), changed }
  }

  async expire(now: number): Promise<number> {
    const due = this.#allowances.all().filter((a) => a.next_expiry !== null && a.next_expiry <= now)
    const ledger = this.#allowances.ledger(
      due.map((a) => [a.customer_id, a.meter] as const),
      [],
      now,
    )
    const expired = [...ledger.changedReservations].filter((r) => r.status === 'expired').length
    this.#allowances.commit(ledger)
    return expired
  }

  async watch(key: AllowanceKey, marks: readonly AlertMark[], now: number): Promise<AllowanceRecord | null> {
    const found = this.#find(key)
    if (found === undefined) return null
    setMarks(found, copy([...marks]))
    this.#allowances.notify(allowanceNotices(found, now))
    found.revision++
    return copy(found)
  }

  async grant(key: AllowanceKey, quantity: string, now: number): Promise<AllowanceRecord | null> {
    return this.grantNow(key, quantity, now)
  }

  /** `grant` without an await, for a caller that must grant inside its own atomic step. */
  grantNow(key: AllowanceKey, quantity: string, now: number): AllowanceRecord | null {
    const found = this.#find(key)
    if (found === undefined) return null
    const before = copy(found)
    found.granted = new Decimal(found.granted).plus(quantity).toFixed()
    found.revision++
    this.#allowances.notify(restoredNotice(before, found, now))
    return copy(found)
  }

  async block(
    customer_id: string,
    at: number,
    blocked: 'paused' | 'canceled' | null,
  ): Promise<AllowanceRecord[]> {
    const out: AllowanceRecord[] = []
    for (const a of this.#allowances.all()) {
      if (a.customer_id !== customer_id || a.period_start > at || at >= a.period_end) continue
      a.blocked = blocked
      a.blocked_at = blocked === null ? null : at
      a.revision++
      out.push(copy(a))
    }
    return out
  }

  #find(key: AllowanceKey): AllowanceRecord | undefined {
    return this.#allowances.of(key.customer_id, key.meter).find((a) => a.period_start === key.period_start)
  }

  async nearLimit(query: NearLimitQuery): Promise<AllowanceRecord[]> {
    return memoryNearLimit(this.#allowances.all(), query)
  }
}
