import type { Aggregation } from '../../core/meters/types.js'
import type { TopCustomersQuery, UsageSeriesQuery } from '../../core/ports/index.js'
import type { DialectQuirks } from './dialect-quirks.js'
import { Params } from './keyset-page.js'
import { ROLLUPS_BY_BUCKET_INDEX } from './schema.js'
import type { SqlOp } from './sql-script.js'

/**
 * The SQL of usage across hours and customers: a series groups one meter's rows by hour (one
 * customer's rollups, or all customers' hourly totals), a ranking groups its rollups by customer.
 * Quantities are aggregated in the database, exactly (decimal aggregates), never row by row here.
 *
 * @example
 * const usage = new UsageQueryStatements(sqliteQuirks)
 * usage.series({ meter: 'calls', aggregation: 'count', from: 0, to: 86_400_000 })
 * // SELECT bucket, SUM(count) AS quantity FROM kobometer_meter_hours WHERE meter = ? … GROUP BY bucket ORDER BY bucket
 */
export class UsageQueryStatements {
  readonly #q: DialectQuirks

  constructor(quirks: DialectQuirks) {
    this.#q = quirks
  }

  /**
   * Each hour's quantity of `[from, to)`, hours in order; `unique_count` counts recorded values.
   * All customers of a `count`, `sum`, `min` or `max` meter: read from the hourly totals (their
   * shards folded by the same aggregates), a row per shard and hour of the window.
   */
  series(query: UsageSeriesQuery): SqlOp {
    const q = this.#q
    const table =
      query.aggregation === 'unique_count'
        ? q.tables.rollupValues
        : query.customer_id !== undefined
          ? q.tables.rollups
          : query.aggregation === 'latest'
            ? `${q.tables.rollups}${q.forceIndex(ROLLUPS_BY_BUCKET_INDEX)}`
            : q.tables.meterHours
    const params = new Params(q)
    const conditions = [`meter = ${params.bind(query.meter)}`]
    if (query.customer_id !== undefined) conditions.push(`customer_id = ${params.bind(query.customer_id)}`)
    conditions.push(`bucket >= ${params.bind(query.from)}`, `bucket < ${params.bind(query.to)}`)
    return {
      sql:
        `SELECT bucket, ${this.#quantity(query.aggregation)} AS quantity FROM ${table}` +
        ` WHERE ${conditions.join(' AND ')} GROUP BY bucket ORDER BY bucket`,
      params: params.values,
    }
  }

  /**
   * The customers with the greatest summed quantity over `[from, to)`, ties by customer id: the
   * window's rollup rows, range-scanned by (meter, bucket), then grouped by customer. Where
   * `seekWindowCustomers`, the index only names the window's customers and each one's hours are
   * then read by primary key.
   */
  top(query: TopCustomersQuery): SqlOp {
    const q = this.#q
    const params = new Params(q)
    const r = q.seekWindowCustomers ? 'r.' : ''
    const total = query.aggregation === 'count' ? `SUM(${r}count)` : `COALESCE(${q.decimalSum(`${r}sum`)}, 0)`
    const order = query.aggregation === 'count' ? total : q.decimalOrder(total)
    const within = (prefix: string) =>
      `${prefix}meter = ${params.bind(query.meter)} AND ${prefix}bucket >= ${params.bind(query.from)}` +
      ` AND ${prefix}bucket < ${params.bind(query.to)}`
    const source = q.seekWindowCustomers
      ? `(SELECT DISTINCT customer_id FROM ${q.tables.rollups} WHERE ${within('')}) c` +
        ` JOIN ${q.tables.rollups} r ON r.customer_id = c.customer_id AND ${within(r)}`
      : `${q.tables.rollups}${q.forceIndex(ROLLUPS_BY_BUCKET_INDEX)} WHERE ${within('')}`
    const sql =
      `SELECT ${r}customer_id, ${q.decimalText(total)} AS quantity FROM ${source}` +
      ` GROUP BY ${r}customer_id ORDER BY ${order} DESC, ${r}customer_id LIMIT ${params.bind(query.limit)}`
    return { sql, params: params.values }
  }

  // A customer's hour is one row, or one per shard on PostgreSQL/MySQL (a `latest` meter's always
  // one: its values stay in shard 0), and the hourly totals hold the same columns folded the same
  // way, so one aggregate serves one customer's rollups, all customers' rollups and the totals.
  #quantity(aggregation: Aggregation): string {
    const q = this.#q
    switch (aggregation) {
      case 'count':
        return 'SUM(count)'
      case 'unique_count':
        return 'COUNT(*)'
      case 'sum':
        return q.decimalText(q.decimalSum('sum'))
      case 'latest':
        return q.decimalText(q.decimalSum('latest_value'))
      case 'min':
        return q.decimalText(q.decimalLeast('min'))
      case 'max':
        return q.decimalText(q.decimalGreatest('max'))
    }
  }
}
