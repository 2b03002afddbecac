import type { ColumnSpec, DialectQuirks } from './dialect-quirks.js'
import { additiveMerge } from './rollup-shapes.js'
import type { SqlOp } from './sql-script.js'

const COLUMNS: readonly ColumnSpec[] = [
  { name: 'meter', kind: 'text' },
  { name: 'bucket', kind: 'int' },
  { name: 'shard', kind: 'int' },
  { name: 'count', kind: 'int' },
  { name: 'sum', kind: 'decimal' },
  { name: 'min', kind: 'decimal' },
  { name: 'max', kind: 'decimal' },
]
const KEY = 'meter, bucket, shard'

/** One meter's totals over every customer in one hour, as one transaction adds them to one shard. */
export type MeterHourRow = readonly [
  meter: string,
  bucket: number,
  shard: number,
  count: number,
  sum: string | null,
  min: string | null,
  max: string | null,
]

/**
 * The SQL of the hourly totals across customers (`kobometer_meter_hours`), kept beside the rollups
 * for `count`, `sum`, `min` and `max` meters: an upsert merges exactly in the database (decimal
 * arithmetic, NULL-safe), like the rollups' own.
 *
 * @example
 * const hours = new MeterHourStatements(sqliteQuirks)
 * hours.upsert([['calls', 0, 0, 3, null, null, null]])
 * // INSERT INTO kobometer_meter_hours (meter, bucket, shard, count, sum, min, max) VALUES … ON CONFLICT …
 */
export class MeterHourStatements {
  readonly #q: DialectQuirks
  // By row-source text: the statement text depends only on the number of rows.
  readonly #upsertSql = new Map<string, string>()

  constructor(quirks: DialectQuirks) {
    this.#q = quirks
  }

  /** Adds each row to its (meter, bucket, shard) totals, rows in key order. */
  upsert(rows: readonly MeterHourRow[]): SqlOp {
    const q = this.#q
    const source = q.rowSource(COLUMNS, rows)
    let sql = this.#upsertSql.get(source.sql)
    if (sql === undefined) {
      const columns = COLUMNS.map((c) => c.name).join(', ')
      sql = q.upsert(q.tables.meterHours, columns, source.sql, KEY, (r, x) =>
        additiveMerge(q, r, x).join(', '),
      )
      if (this.#upsertSql.size < 256) this.#upsertSql.set(source.sql, sql)
    }
    return { sql, params: source.params }
  }
}
