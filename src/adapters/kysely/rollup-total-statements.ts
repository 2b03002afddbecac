import type { Aggregation } from '../../core/meters/types.js'
import type { CustomersRollupQuery, RollupQuery } from '../../core/ports/index.js'
import type { DialectQuirks } from './dialect-quirks.js'
import type { SqlOp } from './sql-script.js'

/**
 * The SQL that folds one meter's hourly rollup rows of one customer into a single row in the
 * database, exactly (integer and decimal aggregates), so a read returns one row however many hours
 * the window spans. A meter's rows carry only its aggregation's column besides `count`, so a known
 * aggregation aggregates that column alone; an unknown one aggregates them all.
 *
 * @example
 * const totals = new RollupTotalStatements(sqliteQuirks)
 * totals.total({ meter: 'calls', customer_id: 'c_1', fromBucket: 0, toBucket: 3_600_000 }, 'count').sql
 * // 'SELECT SUM(count) AS count FROM kobometer_rollups WHERE meter = ? AND customer_id = ? AND bucket >= ? AND bucket < ?'
 */
export class RollupTotalStatements {
  readonly #q: DialectQuirks
  readonly #totalSql = new Map<Aggregation | 'any', string>()

  constructor(quirks: DialectQuirks) {
    this.#q = quirks
  }

  /**
   * One row: the summed `count` (NULL when the window has no rows) and, as the aggregation needs,
   * the exact `sum`, least `min`, greatest `max`, and the greatest `latest_ts` (see {@link latestAt}).
   */
  total(query: RollupQuery, aggregation: Aggregation | undefined): SqlOp {
    const key = aggregation ?? 'any'
    let sql = this.#totalSql.get(key)
    if (sql === undefined) {
      sql = `SELECT ${this.#columns(aggregation).join(', ')} FROM ${this.#q.tables.rollups} WHERE ${this.#window()}`
      this.#totalSql.set(key, sql)
    }
    return { sql, params: [query.meter, query.customer_id, query.fromBucket, query.toBucket] }
  }

  /**
   * {@link total} for several customers at once: a row per customer (one with rows, at least), with
   * its `customer_id`. Not for `latest` (its value needs a second read per customer). PostgreSQL
   * looks each customer up by the whole key prefix (a lateral join): planned from the customer
   * list alone, a fresh table without statistics would scan the meter's window for every customer.
   */
  totalsOf(query: CustomersRollupQuery, aggregation: 'count' | 'sum' | 'min' | 'max'): SqlOp {
    const q = this.#q
    if (q.dialect === 'postgres') {
      return {
        sql:
          `SELECT c.customer_id, t.* FROM unnest($1::text[]) AS c(customer_id) CROSS JOIN LATERAL` +
          ` (SELECT ${this.#columns(aggregation).join(', ')} FROM ${q.tables.rollups} r` +
          ' WHERE r.meter = $2 AND r.customer_id = c.customer_id AND r.bucket >= $3 AND r.bucket < $4) t',
        params: [query.customer_ids, query.meter, query.fromBucket, query.toBucket],
      }
    }
    const among = q.textIn('customer_id', query.customer_ids)
    const n = among.params.length
    return {
      sql:
        `SELECT customer_id, ${this.#columns(aggregation).join(', ')} FROM ${q.tables.rollups}` +
        ` WHERE ${among.sql} AND meter = ${q.placeholder(n + 1)}` +
        ` AND bucket >= ${q.placeholder(n + 2)} AND bucket < ${q.placeholder(n + 3)} GROUP BY customer_id`,
      params: [...among.params, query.meter, query.fromBucket, query.toBucket],
    }
  }

  /** The rows of the window whose latest value was recorded at `timestamp` (ties broken by key). */
  latestAt(query: RollupQuery, timestamp: number): SqlOp {
    const q = this.#q
    return {
      sql:
        `SELECT latest_ts, latest_key, ${q.decimalText('latest_value')} AS latest_value FROM ${q.tables.rollups}` +
        ` WHERE ${this.#window()} AND latest_ts = ${q.placeholder(5)}`,
      params: [query.meter, query.customer_id, query.fromBucket, query.toBucket, timestamp],
    }
  }

  #window(): string {
    const p = this.#q.placeholder
    return `meter = ${p(1)} AND customer_id = ${p(2)} AND bucket >= ${p(3)} AND bucket < ${p(4)}`
  }

  #columns(aggregation: Aggregation | undefined): string[] {
    const q = this.#q
    const columns = ['SUM(count) AS count']
    const all = aggregation === undefined
    if (all || aggregation === 'sum') columns.push(`${q.decimalText(q.decimalSum('sum'))} AS sum`)
    if (all || aggregation === 'min') columns.push(`${q.decimalText(q.decimalLeast('min'))} AS min`)
    if (all || aggregation === 'max') columns.push(`${q.decimalText(q.decimalGreatest('max'))} AS max`)
    if (all || aggregation === 'latest') columns.push('MAX(latest_ts) AS latest_ts')
    return columns
  }
}
