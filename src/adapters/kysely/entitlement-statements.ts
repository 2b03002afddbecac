import { allowanceFill } from '../../core/entitlements/allowance-fill.js'
import type {
  AllowanceKey,
  AllowanceRecord,
  NearLimitQuery,
  ReservationRecord,
} from '../../core/ports/index.js'
import { type DialectQuirks, valuesRow } from './dialect-quirks.js'
import { Params } from './keyset-page.js'
import { ENTITLEMENT_INDEX } from './schema.js'
import { chunks, type SqlOp } from './sql-script.js'

/**
 * The SQL of allowances, reservations and limited meters: JSON documents with the columns a
 * statement filters or locks on broken out. An allowance is two rows: its document (and what locks
 * and expiry read) and, in a narrow table of its own, its `used`, `revision` and fill, which
 * override the document's copies: an append that only counts usage rewrites the narrow row alone.
 *
 * @example
 * const sql = new EntitlementStatements(sqliteQuirks)
 * sql.allowancesOverlapping(['cus_1'], from, to, false) // SELECT a.doc, u.used, u.revision FROM kobometer_allowances a JOIN …
 */
export class EntitlementStatements {
  readonly #q: DialectQuirks
  /** `FROM` an allowance's two rows, joined by key. */
  readonly #from: string
  /** The same, walking the allowances by (customer_id, period_end). */
  readonly #fromByEnd: string
  readonly #insertAllowance: string
  readonly #insertUsage: string
  readonly #insertReservation: string
  readonly #insertLimited: string
  /** One locked allowance's document, and its usage row, rewritten by key. */
  readonly #updateDoc: (a: AllowanceRecord) => SqlOp
  readonly #updateUsageOf: (a: AllowanceRecord) => SqlOp
  /** Multi-row upserts of the documents and of the usage rows, by row count. */
  readonly #upsertDocs = new Map<number, string>()
  readonly #upsertUsage = new Map<number, string>()
  /** The customers' rows inserted and locked, by customer count (at most `maxRowsPerStatement`). */
  readonly #claimAnchors = new Map<number, string>()
  readonly #lockAnchors = new Map<number, string>()
  readonly #lockOverlapping = new Map<number, string>()
  /** {@link allowancesOverlapping} without locks, by customer count. */
  readonly #overlapping = new Map<number, string>()

  constructor(quirks: DialectQuirks) {
    this.#q = quirks
    const t = quirks.tables
    const p = quirks.placeholder
    const from = (hint: string) =>
      `${t.allowances} a${hint} JOIN ${t.allowanceUsage} u ON u.customer_id = a.customer_id` +
      ' AND u.meter = a.meter AND u.period_start = a.period_start'
    this.#from = from('')
    // MySQL is told to: InnoDB locks every row a locking read walks, and through the primary key
    // an append's read would wait for a lock on any of the customer's past periods.
    this.#fromByEnd = from(quirks.forceIndex(ENTITLEMENT_INDEX.allowancesCustomerEnd))
    const insert = (table: AllowanceTable) =>
      quirks.insertSkippingExisting(
        t[table.name],
        table.columns.join(', '),
        valuesRow(quirks, table.columns.length),
        KEY,
      )
    this.#insertAllowance = insert(DOC)
    this.#insertUsage = insert(USAGE)
    // The table's rewritten columns, then its key (the row's first three values).
    const update = (table: AllowanceTable) => {
      const at = table.rewritten.map((c) => table.columns.indexOf(c))
      const n = at.length
      const sql =
        `UPDATE ${t[table.name]} SET ${table.rewritten.map((c, i) => `${c} = ${p(i + 1)}`).join(', ')}` +
        ` WHERE customer_id = ${p(n + 1)} AND meter = ${p(n + 2)} AND period_start = ${p(n + 3)}`
      return (a: AllowanceRecord): SqlOp => {
        const values = table.row(a)
        const params = at.map((i) => values[i])
        params.push(values[0], values[1], values[2])
        return { sql, params }
      }
    }
    this.#updateDoc = update(DOC)
    this.#updateUsageOf = update(USAGE)
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

  /** Inserts an allowance (its document and its usage row) unless its key is taken. */
  insertAllowance(a: AllowanceRecord): SqlOp[] {
    return [
      { sql: this.#insertAllowance, params: DOC.row(a) },
      { sql: this.#insertUsage, params: USAGE.row(a) },
    ]
  }

  /** One allowance by key; `locking` takes its row locks until the transaction ends. */
  allowance(key: AllowanceKey, locking: boolean): SqlOp {
    const q = this.#q
    const p = q.placeholder
    return {
      sql:
        `SELECT ${READ} FROM ${this.#from} WHERE a.customer_id = ${p(1)} AND a.meter = ${p(2)}` +
        ` AND a.period_start = ${p(3)}${locking ? q.lockingReadSuffix : ''}`,
      params: [key.customer_id, key.meter, key.period_start],
    }
  }

  /**
   * Locks the rows of the given customers in `kobometer_allowance_customers`, in customer order,
   * until the transaction ends, and answers those that have one. Every transaction that opens a
   * customer's allowances or locks several of them (an append weighing its events, a pause) takes
   * it first: a customer's opens and appends wait for each other however many periods it has, and
   * two of them never lock allowance rows in different orders.
   */
  lockAllowanceCustomers(customers: readonly string[]): SqlOp {
    let sql = this.#lockAnchors.get(customers.length)
    if (sql === undefined) {
      const q = this.#q
      const list = customers.map((_, i) => q.placeholder(i + 1)).join(', ')
      sql =
        `SELECT customer_id FROM ${q.tables.allowanceCustomers} WHERE customer_id IN (${list})` +
        ` ORDER BY customer_id${q.lockingReadSuffix}`
      this.#lockAnchors.set(customers.length, sql)
    }
    return { sql, params: [...customers] }
  }

  /**
   * Gives each of the customers (given sorted) its row in `kobometer_allowance_customers` unless it
   * has one, and locks it until the transaction ends either way: a row found is updated to itself,
   * which locks it (on MySQL without the shared lock a skipped duplicate takes, which two
   * transactions would both try to upgrade); a row being inserted by another transaction makes this
   * one wait for it.
   */
  claimAllowanceCustomers(customers: readonly string[]): SqlOp {
    let sql = this.#claimAnchors.get(customers.length)
    if (sql === undefined) {
      const q = this.#q
      sql = q.upsert(
        q.tables.allowanceCustomers,
        'customer_id',
        valuesRow(q, 1, customers.length),
        'customer_id',
        (_, incoming) => `customer_id = ${incoming('customer_id')}`,
      )
      this.#claimAnchors.set(customers.length, sql)
    }
    return { sql, params: [...customers] }
  }

  /**
   * The allowances of the given customers whose period overlaps `[from, to]` (`from = to = at`: the
   * periods containing `at`). It walks the (customer_id, period_end) index from `from` on, so a
   * customer's past periods cost it nothing. `locking` takes their row locks, in key order, until
   * the transaction ends (where writers run concurrently, under the customers' lock: see
   * {@link lockAllowanceCustomers}); otherwise (SQLite, where the database lock serializes writers)
   * the rows come in no particular order, as an ORDER BY by key would make SQLite walk the primary
   * key instead.
   */
  allowancesOverlapping(customers: readonly string[], from: number, to: number, locking: boolean): SqlOp {
    const cache = locking ? this.#lockOverlapping : this.#overlapping
    let sql = cache.get(customers.length)
    if (sql === undefined) {
      const q = this.#q
      const p = q.placeholder
      const list = customers.map((_, i) => p(i + 3)).join(', ')
      sql =
        `SELECT ${READ} FROM ${this.#fromByEnd} WHERE a.period_end > ${p(1)} AND a.period_start <= ${p(2)}` +
        ` AND a.customer_id IN (${list})`
      if (locking) sql += ` ORDER BY a.customer_id, a.meter, a.period_start${q.lockingReadSuffix}`
      cache.set(customers.length, sql)
    }
    return { sql, params: [from, to, ...customers] }
  }

  /**
   * A page of the current periods' allowances filled to at least `ratio`, fullest first, ties by
   * key: the usage rows' index on (period_end, fill) narrows to periods not yet over.
   */
  nearLimit(query: NearLimitQuery): SqlOp {
    const q = this.#q
    const params = new Params(q)
    const conditions = [
      `u.period_end > ${params.bind(query.at)}`,
      `u.period_start <= ${params.bind(query.at)}`,
      `u.fill >= ${params.bind(query.ratio)}`,
    ]
    const after = query.after
    if (after !== undefined) {
      const fill = params.bind(after.fill)
      conditions.push(
        `(u.fill < ${fill} OR (u.fill = ${params.bind(after.fill)} AND (u.customer_id > ${params.bind(after.customer_id)}` +
          ` OR (u.customer_id = ${params.bind(after.customer_id)} AND u.meter > ${params.bind(after.meter)}))))`,
      )
    }
    return {
      sql:
        `SELECT ${READ} FROM ${this.#from} WHERE ${conditions.join(' AND ')}` +
        ` ORDER BY u.fill DESC, u.customer_id, u.meter LIMIT ${params.bind(query.limit)}`,
      params: params.values,
    }
  }

  /**
   * The keys of allowances with a reservation that may have expired by `now`, in key order: the
   * expiry transaction locks them one after the other in the appends' order, so the two never
   * deadlock.
   */
  dueAllowances(now: number): SqlOp {
    const q = this.#q
    return {
      sql:
        `SELECT customer_id, meter, period_start FROM ${q.tables.allowances} WHERE next_expiry <= ${q.placeholder(1)}` +
        ` ORDER BY ${KEY}`,
      params: [now],
    }
  }

  /**
   * The statements that rewrite locked allowances (rows that always exist): for each, its usage
   * row, and its document unless `onlyCounted` says nothing but usage changed. One prepared
   * UPDATE per row where the dialect prefers it, else upserts of up to `maxRowsPerStatement` rows.
   */
  writeAllowances(
    rows: readonly AllowanceRecord[],
    onlyCounted: (allowance: AllowanceRecord) => boolean = () => false,
  ): SqlOp[] {
    const q = this.#q
    const ops: SqlOp[] = []
    if (q.rowByRowUpdates) {
      for (const a of rows) {
        if (!onlyCounted(a)) ops.push(this.#updateDoc(a))
        ops.push(this.#updateUsageOf(a))
      }
      return ops
    }
    const docs = rows.filter((a) => !onlyCounted(a))
    return [...this.#upserts(docs, DOC, this.#upsertDocs), ...this.#upserts(rows, USAGE, this.#upsertUsage)]
  }

  // Upserts of `rows` into one of an allowance's two tables, `maxRowsPerStatement` rows each.
  #upserts(rows: readonly AllowanceRecord[], table: AllowanceTable, cache: Map<number, string>): SqlOp[] {
    const q = this.#q
    const ops: SqlOp[] = []
    for (const chunk of chunks(rows, q.maxRowsPerStatement)) {
      let sql = cache.get(chunk.length)
      if (sql === undefined) {
        sql = q.upsert(
          q.tables[table.name],
          table.columns.join(', '),
          valuesRow(q, table.columns.length, chunk.length),
          KEY,
          (_, incoming) => table.rewritten.map((c) => `${c} = ${incoming(c)}`).join(', '),
        )
        cache.set(chunk.length, sql)
      }
      ops.push({ sql, params: chunk.flatMap(table.row) })
    }
    return ops
  }

  /** Rewrites one locked allowance: its document and its usage row. */
  updateAllowance(a: AllowanceRecord): SqlOp[] {
    return [this.#updateDoc(a), this.#updateUsageOf(a)]
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

const KEY = 'customer_id, meter, period_start'

/** One of an allowance's two tables: its columns, those an upsert rewrites, and a row's values. */
interface AllowanceTable {
  readonly name: 'allowances' | 'allowanceUsage'
  readonly columns: readonly string[]
  readonly rewritten: readonly string[]
  readonly row: (a: AllowanceRecord) => unknown[]
}

/** The document, with what locks and expiry read. */
const DOC: AllowanceTable = {
  name: 'allowances',
  columns: ['customer_id', 'meter', 'period_start', 'period_end', 'next_expiry', 'doc'],
  rewritten: ['next_expiry', 'doc'],
  row: (a) => [a.customer_id, a.meter, a.period_start, a.period_end, a.next_expiry, JSON.stringify(a)],
}

/** The usage row: what an append that only counts rewrites. */
const USAGE: AllowanceTable = {
  name: 'allowanceUsage',
  columns: ['customer_id', 'meter', 'period_start', 'period_end', 'used', 'revision', 'fill'],
  rewritten: ['used', 'revision', 'fill'],
  row: (a) => [a.customer_id, a.meter, a.period_start, a.period_end, a.used, a.revision, allowanceFill(a)],
}

/** What a read of an allowance selects (`a` its document row, `u` its usage row), for {@link allowanceOf}. */
const READ = 'a.doc, u.used, u.revision'

/**
 * An allowance as read (`doc, used, revision`): its document, with the `used` and `revision` of
 * its usage row (an append that only counted usage wrote those alone).
 *
 * @example
 * const allowance = allowanceOf(rows[0]) // null when there is no row
 */
export function allowanceOf(
  row: { doc?: unknown; used?: unknown; revision?: unknown } | undefined,
): AllowanceRecord | null {
  if (row === undefined) return null
  const allowance = JSON.parse(String(row.doc)) as AllowanceRecord
  if (row.used !== null && row.used !== undefined) allowance.used = String(row.used)
  if (row.revision !== null && row.revision !== undefined) allowance.revision = Number(row.revision)
  return allowance
}
