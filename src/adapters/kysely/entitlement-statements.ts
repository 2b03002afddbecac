import { allowanceFill } from '../../core/entitlements/allowance-fill.js'
import type {
  AllowanceKey,
  AllowanceRecord,
  NearLimitQuery,
  ReservationRecord,
} from '../../core/ports/index.js'
import { type DialectQuirks, valuesRow } from './dialect-quirks.js'
import { Params } from './keyset-page.js'
import type { SqlOp } from './sql-script.js'

/**
 * The SQL of allowances, reservations and limited meters: JSON documents with the columns a
 * statement filters or locks on broken out.
 *
 * @example
 * const sql = new EntitlementStatements(sqliteQuirks)
 * sql.lockPair('c_1', 'api_calls') // SELECT doc FROM kobometer_allowances WHERE customer_id = ? AND meter = ?
 */
export class EntitlementStatements {
  readonly #q: DialectQuirks
  readonly #insertAllowance: string
  readonly #insertReservation: string
  readonly #insertLimited: string

  constructor(quirks: DialectQuirks) {
    this.#q = quirks
    const t = quirks.tables
    this.#insertAllowance = quirks.insertSkippingExisting(
      t.allowances,
      'customer_id, meter, period_start, period_end, next_expiry, doc, fill',
      valuesRow(quirks, 7),
      'customer_id, meter, period_start',
    )
    this.#insertReservation = quirks.insertSkippingExisting(
      t.reservations,
      'id, idempotency_key, customer_id, meter, period_start, status, doc',
      valuesRow(quirks, 7),
      'idempotency_key',
    )
    this.#insertLimited = quirks.insertSkippingExisting(
      t.limitedMeters,
      'meter',
      valuesRow(quirks, 1),
      'meter',
    )
  }

  /** Inserts an allowance unless its key is taken. */
  insertAllowance(a: AllowanceRecord): SqlOp {
    return { sql: this.#insertAllowance, params: allowanceRow(a) }
  }

  /** One allowance by key; `locking` takes its row lock until the transaction ends. */
  allowance(key: AllowanceKey, locking: boolean): SqlOp {
    const q = this.#q
    const p = q.placeholder
    return {
      sql:
        `SELECT doc FROM ${q.tables.allowances} WHERE customer_id = ${p(1)} AND meter = ${p(2)}` +
        ` AND period_start = ${p(3)}${locking ? q.lockingReadSuffix : ''}`,
      params: [key.customer_id, key.meter, key.period_start],
    }
  }

  /**
   * Every allowance of the given customers, locked until the transaction ends, in key order: every
   * transaction takes these row locks in the same order, so concurrent appends never deadlock.
   */
  lockCustomers(customers: readonly string[]): SqlOp {
    const q = this.#q
    const list = customers.map((_, i) => q.placeholder(i + 1)).join(', ')
    return {
      sql:
        `SELECT doc FROM ${q.tables.allowances} WHERE customer_id IN (${list})` +
        ` ORDER BY customer_id, meter, period_start${q.lockingReadSuffix}`,
      params: [...customers],
    }
  }

  /** The allowances of the given customers whose period contains `at`. */
  allowancesAt(customers: readonly string[], at: number): SqlOp {
    const q = this.#q
    const p = q.placeholder
    const list = customers.map((_, i) => p(i + 3)).join(', ')
    return {
      sql:
        `SELECT doc FROM ${q.tables.allowances} WHERE period_start <= ${p(1)} AND period_end > ${p(2)}` +
        ` AND customer_id IN (${list})`,
      params: [at, at, ...customers],
    }
  }

  /**
   * A page of the current periods' allowances filled to at least `ratio`, fullest first, ties by
   * key: the index on (period_end, fill) narrows to periods not yet over.
   */
  nearLimit(query: NearLimitQuery): SqlOp {
    const q = this.#q
    const params = new Params(q)
    const conditions = [
      `period_end > ${params.bind(query.at)}`,
      `period_start <= ${params.bind(query.at)}`,
      `fill >= ${params.bind(query.ratio)}`,
    ]
    const after = query.after
    if (after !== undefined) {
      const fill = params.bind(after.fill)
      conditions.push(
        `(fill < ${fill} OR (fill = ${params.bind(after.fill)} AND (customer_id > ${params.bind(after.customer_id)}` +
          ` OR (customer_id = ${params.bind(after.customer_id)} AND meter > ${params.bind(after.meter)}))))`,
      )
    }
    return {
      sql:
        `SELECT doc FROM ${q.tables.allowances} WHERE ${conditions.join(' AND ')}` +
        ` ORDER BY fill DESC, customer_id, meter LIMIT ${params.bind(query.limit)}`,
      params: params.values,
    }
  }

  /** The keys of allowances with a reservation that may have expired by `now`. */
  dueAllowances(now: number): SqlOp {
    const q = this.#q
    return {
      sql: `SELECT customer_id, meter, period_start FROM ${q.tables.allowances} WHERE next_expiry <= ${q.placeholder(1)}`,
      params: [now],
    }
  }

  /** Rewrites several locked allowances in one statement (an upsert that always finds its row). */
  writeAllowances(rows: readonly AllowanceRecord[]): SqlOp {
    const q = this.#q
    const width = 7
    const values = rows
      .map(
        (_, r) => `(${Array.from({ length: width }, (_, c) => q.placeholder(r * width + c + 1)).join(', ')})`,
      )
      .join(', ')
    return {
      sql: q.upsert(
        q.tables.allowances,
        'customer_id, meter, period_start, period_end, next_expiry, doc, fill',
        `VALUES ${values}`,
        'customer_id, meter, period_start',
        (_stored, incoming) =>
          `next_expiry = ${incoming('next_expiry')}, doc = ${incoming('doc')}, fill = ${incoming('fill')}`,
      ),
      params: rows.flatMap(allowanceRow),
    }
  }

  updateAllowance(a: AllowanceRecord): SqlOp {
    const q = this.#q
    const p = q.placeholder
    return {
      sql:
        `UPDATE ${q.tables.allowances} SET next_expiry = ${p(1)}, doc = ${p(2)}, fill = ${p(3)}` +
        ` WHERE customer_id = ${p(4)} AND meter = ${p(5)} AND period_start = ${p(6)}`,
      params: [a.next_expiry, JSON.stringify(a), allowanceFill(a), a.customer_id, a.meter, a.period_start],
    }
  }

  /** Inserts a reservation unless its idempotency key is taken. */
  insertReservation(r: ReservationRecord): SqlOp {
    const params = [
      r.id,
      r.idempotency_key,
      r.customer_id,
      r.meter,
      r.period_start,
      r.status,
      JSON.stringify(r),
    ]
    return { sql: this.#insertReservation, params }
  }

  reservation(id: string): SqlOp {
    const q = this.#q
    return { sql: `SELECT doc FROM ${q.tables.reservations} WHERE id = ${q.placeholder(1)}`, params: [id] }
  }

  reservationByKey(key: string): SqlOp {
    const q = this.#q
    return {
      sql: `SELECT doc FROM ${q.tables.reservations} WHERE idempotency_key = ${q.placeholder(1)}`,
      params: [key],
    }
  }

  /** The reservations named by id (at most `maxRowsPerStatement`). */
  reservations(ids: readonly string[]): SqlOp {
    const q = this.#q
    const list = ids.map((_, i) => q.placeholder(i + 1)).join(', ')
    return { sql: `SELECT doc FROM ${q.tables.reservations} WHERE id IN (${list})`, params: [...ids] }
  }

  /** The held reservations of one allowance. */
  held(key: AllowanceKey): SqlOp {
    const q = this.#q
    const p = q.placeholder
    return {
      sql:
        `SELECT doc FROM ${q.tables.reservations} WHERE customer_id = ${p(1)} AND meter = ${p(2)}` +
        ` AND period_start = ${p(3)} AND status = ${p(4)}`,
      params: [key.customer_id, key.meter, key.period_start, 'held'],
    }
  }

  updateReservation(r: ReservationRecord): SqlOp {
    const q = this.#q
    const p = q.placeholder
    return {
      sql: `UPDATE ${q.tables.reservations} SET status = ${p(1)}, doc = ${p(2)} WHERE id = ${p(3)}`,
      params: [r.status, JSON.stringify(r), r.id],
    }
  }

  limitedMeters(): SqlOp {
    return { sql: `SELECT meter FROM ${this.#q.tables.limitedMeters}`, params: [] }
  }

  /** Marks a meter as limited unless it is: the changed-row count (0 or 1) tells which. */
  insertLimited(meter: string): SqlOp {
    return { sql: this.#insertLimited, params: [meter] }
  }
}

/** An allowance's column values, in the order the insert and upsert statements list them. */
function allowanceRow(a: AllowanceRecord): unknown[] {
  return [
    a.customer_id,
    a.meter,
    a.period_start,
    a.period_end,
    a.next_expiry,
    JSON.stringify(a),
    allowanceFill(a),
  ]
}
