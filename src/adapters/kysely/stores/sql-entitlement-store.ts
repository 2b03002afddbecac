import type { AlertMark } from '../../../core/alerts/types.js'
import type {
  AllowanceKey,
  AllowanceOpening,
  AllowanceRecord,
  EffectsOf,
  EntitlementStore,
  NearLimitQuery,
  ReservationRecord,
  ReserveOutcome,
} from '../../../core/ports/index.js'
import { InterruptedTransaction } from '../connection-failures.js'
import {
  blockScript,
  expireScript,
  grantScript,
  type OpenRequest,
  openAllowancesScript,
  releaseScript,
  reserveScript,
  watchScript,
} from '../entitlement-scripts.js'
import { allowanceOf } from '../entitlement-statements.js'
import { GatheredWrites } from '../gathered-writes.js'
import { chunks } from '../sql-script.js'
import type { SqlStoreParts } from './sql-store-parts.js'

/**
 * Open transactions at once, and callers' opens one takes at most: it holds their customers' lock
 * rows, which appends of those customers (and any batch naming one of them) wait for, and an open
 * waiting on a customer's lock holds up the callers in its transaction only.
 */
const OPENS = { concurrency: 4, maxPerFlush: 64 }

/**
 * The SQL allowances: every write locks the allowance row it changes, the same lock appends take
 * to weigh events, so limits hold across processes.
 *
 * @example
 * const [allowance] = await new SqlEntitlementStore(parts).open([opening], effects, Date.now())
 */
export class SqlEntitlementStore implements EntitlementStore {
  readonly #parts: SqlStoreParts
  readonly #opens: GatheredWrites<OpenRequest, AllowanceRecord[]>

  constructor(parts: SqlStoreParts) {
    this.#parts = parts
    this.#opens = new GatheredWrites(
      (requests) => parts.runner.write(() => openAllowancesScript(parts.sql, requests)),
      (error) => !(error instanceof InterruptedTransaction),
      OPENS,
    )
  }

  /**
   * Concurrent opens share transactions (`GatheredWrites`): at a period roll every customer's
   * first event opens its allowances, and one transaction each cost a lock, a commit and a
   * re-read of the same meters per customer.
   */
  open(openings: readonly AllowanceOpening[], effects: EffectsOf, now: number): Promise<AllowanceRecord[]> {
    if (openings.length === 0) return Promise.resolve([])
    return this.#opens.run({ openings, effects, now })
  }

  watch(key: AllowanceKey, marks: readonly AlertMark[], now: number): Promise<AllowanceRecord | null> {
    return this.#parts.runner.write(() => watchScript(this.#parts.sql, key, marks, now))
  }

  async read(
    keys: ReadonlyArray<{ customer_id: string; meter: string }>,
    at: number,
  ): Promise<AllowanceRecord[]> {
    const { runner, sql } = this.#parts
    const wanted = new Set(keys.map((k) => `${k.customer_id}\u0000${k.meter}`))
    const customers = [...new Set(keys.map((k) => k.customer_id))]
    const out: AllowanceRecord[] = []
    for (const chunk of chunks(customers, sql.quirks.maxRowsPerStatement - 2)) {
      const { rows } = await runner.read(sql.entitlements.allowancesOverlapping(chunk, at, at, false))
      for (const row of rows) {
        const allowance = allowanceOf(row)!
        if (wanted.has(`${allowance.customer_id}\u0000${allowance.meter}`)) out.push(allowance)
      }
    }
    return out
  }

  reserve(reservation: ReservationRecord, now: number): Promise<ReserveOutcome> {
    return this.#parts.runner.write(() => reserveScript(this.#parts.sql, reservation, now))
  }

  async getReservation(id: string): Promise<ReservationRecord | null> {
    const { rows } = await this.#parts.runner.read(this.#parts.sql.entitlements.reservation(id))
    return rows[0] === undefined ? null : (JSON.parse(String(rows[0].doc)) as ReservationRecord)
  }

  release(id: string, now: number): Promise<{ reservation: ReservationRecord; changed: boolean } | null> {
    return this.#parts.runner.write(() => releaseScript(this.#parts.sql, id, now))
  }

  expire(now: number): Promise<number> {
    return this.#parts.runner.write(() => expireScript(this.#parts.sql, now))
  }

  block(customer_id: string, at: number, blocked: 'paused' | 'canceled' | null): Promise<AllowanceRecord[]> {
    return this.#parts.runner.write(() => blockScript(this.#parts.sql, customer_id, at, blocked))
  }

  grant(key: AllowanceKey, quantity: string, now: number): Promise<AllowanceRecord | null> {
    return this.#parts.runner.write(() => grantScript(this.#parts.sql, key, quantity, now))
  }

  async nearLimit(query: NearLimitQuery): Promise<AllowanceRecord[]> {
    const { rows } = await this.#parts.runner.read(this.#parts.sql.entitlements.nearLimit(query))
    return rows.map((row) => allowanceOf(row)!)
  }
}
