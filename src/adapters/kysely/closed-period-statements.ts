import type { ColumnSpec, DialectQuirks } from './dialect-quirks.js'
import { CLOSED_HORIZON_ID } from './schema.js'
import type { SqlOp } from './sql-script.js'

const COLUMNS: readonly ColumnSpec[] = [
  { name: 'customer_id', kind: 'text' },
  { name: 'closed_before', kind: 'int' },
]

/** One customer's closed-usage mark (or the horizon's, under `CLOSED_HORIZON_ID`). */
export type ClosedMarkRow = readonly [customerId: string, closedBefore: number]

/**
 * The SQL of closed-usage marks: per customer, the instant before which appends are refused, and
 * the horizon row holding the highest mark of all.
 *
 * @example
 * const closed = new ClosedPeriodStatements(sqliteQuirks)
 * closed.horizon() // SELECT closed_before FROM kobometer_closed_periods WHERE customer_id = ''
 */
export class ClosedPeriodStatements {
  readonly #q: DialectQuirks
  readonly #horizonSql: string
  readonly #raiseSql = new Map<string, string>()

  constructor(quirks: DialectQuirks) {
    this.#q = quirks
    this.#horizonSql = `SELECT closed_before FROM ${quirks.tables.closedPeriods} WHERE customer_id = ${quirks.placeholder(1)}`
  }

  /** The highest mark of any customer: no row when nothing was ever closed. */
  horizon(): SqlOp {
    return { sql: this.#horizonSql, params: [CLOSED_HORIZON_ID] }
  }

  /** The marks of the given customers (those without one have no row). */
  marks(customerIds: readonly string[]): SqlOp {
    const where = this.#q.textIn('customer_id', customerIds)
    return {
      sql: `SELECT customer_id, closed_before FROM ${this.#q.tables.closedPeriods} WHERE ${where.sql}`,
      params: where.params,
    }
  }

  /** Raises each row's mark to the given one, never lowering it. Keys must be distinct. */
  raise(rows: readonly ClosedMarkRow[]): SqlOp {
    const q = this.#q
    const source = q.rowSource(COLUMNS, rows)
    let sql = this.#raiseSql.get(source.sql)
    if (sql === undefined) {
      sql = q.upsert(
        q.tables.closedPeriods,
        'customer_id, closed_before',
        source.sql,
        'customer_id',
        (r, x) => {
          const [stored, incoming] = [r('closed_before'), x('closed_before')]
          return `closed_before = CASE WHEN ${stored} < ${incoming} THEN ${incoming} ELSE ${stored} END`
        },
      )
      if (this.#raiseSql.size < 256) this.#raiseSql.set(source.sql, sql)
    }
    return { sql, params: source.params }
  }
}
