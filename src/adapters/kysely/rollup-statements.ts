import type { RollupDelta } from '../../core/meters/types.js'
import type { RollupQuery } from '../../core/ports/index.js'
import type { ColumnSpec, DialectQuirks } from './dialect-quirks.js'
import { type RollupShape, SHAPES } from './rollup-shapes.js'
import type { SqlOp } from './sql-script.js'

const VALUE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'meter', kind: 'text' },
  { name: 'customer_id', kind: 'text' },
  { name: 'bucket', kind: 'int' },
  { name: 'value', kind: 'text' },
]
const ROLLUP_KEY = 'meter, customer_id, bucket'
const SHARD: ColumnSpec = { name: 'shard', kind: 'int' }
const VALUE_KEY = 'meter, customer_id, bucket, value'

/** One distinct value of a unique-count meter in one bucket. */
export type RollupValueRow = readonly [meter: string, customerId: string, bucket: number, value: string]

/**
 * The SQL of the rollup tables, in one dialect. Upserts merge exactly in the database (decimal
 * arithmetic, NULL-safe), so concurrent writers never lose an update.
 *
 * @example
 * const rollups = new RollupStatements(postgresQuirks('public'))
 * const op = rollups.upsert(countDeltas, 'count')
 */
export class RollupStatements {
  readonly #q: DialectQuirks
  // Full statement texts by shape and row-source text: built once, so a prepared-statement cache
  // keyed by text hits without hashing a new multi-kilobyte string each time.
  readonly #upsertSql = new Map<RollupShape, Map<string, string>>()
  readonly #valuesSql = new Map<string, string>()
  readonly #sharded: boolean

  constructor(quirks: DialectQuirks) {
    this.#q = quirks
    this.#sharded = quirks.rollupShards > 1
  }

  /**
   * Merges aggregated deltas of one shape (one delta per key) into their rollup rows, in `shard`
   * where the dialect splits rollups. `latest` values go to shard 0 whatever `shard` says: the
   * latest of a customer's hour must be one row for the reads that add up customers' latests.
   */
  upsert(deltas: readonly RollupDelta[], shape: RollupShape, shard = 0): SqlOp {
    const spec = SHAPES[shape]
    const inShard = shape === 'latest' || shape === 'full' ? 0 : shard
    const source = this.#sharded
      ? this.#q.rowSource(
          [...spec.columns, SHARD],
          deltas.map((d) => [...spec.values(d), inShard]),
        )
      : this.#q.rowSource(spec.columns, deltas.map(spec.values))
    let memo = this.#upsertSql.get(shape)
    if (memo === undefined) {
      memo = new Map()
      this.#upsertSql.set(shape, memo)
    }
    let sql = memo.get(source.sql)
    if (sql === undefined) {
      const q = this.#q
      const columns = [...spec.columns, ...(this.#sharded ? [SHARD] : [])].map((c) => c.name).join(', ')
      const key = this.#sharded ? `${ROLLUP_KEY}, shard` : ROLLUP_KEY
      sql = q.upsert(q.tables.rollups, columns, source.sql, key, (r, x) => spec.set(q, r, x).join(', '))
      memo.set(source.sql, sql)
    }
    return { sql, params: source.params }
  }

  /** Records unique-count values, skipping those already recorded for their bucket. */
  insertValues(rows: readonly RollupValueRow[]): SqlOp {
    const source = this.#q.rowSource(VALUE_COLUMNS, rows)
    let sql = this.#valuesSql.get(source.sql)
    if (sql === undefined) {
      const columns = VALUE_COLUMNS.map((c) => c.name).join(', ')
      sql = this.#q.insertSkippingExisting(this.#q.tables.rollupValues, columns, source.sql, VALUE_KEY)
      this.#valuesSql.set(source.sql, sql)
    }
    return { sql, params: source.params }
  }

  /** The rollup rows of one meter and customer over `[fromBucket, toBucket)`. */
  read(query: RollupQuery): SqlOp {
    const q = this.#q
    const p = q.placeholder
    const decimals = ['sum', 'min', 'max', 'latest_value']
      .map((c) => `${q.decimalText(c)} AS ${c}`)
      .join(', ')
    return {
      sql:
        `SELECT count, ${decimals}, latest_ts, latest_key FROM ${q.tables.rollups}` +
        ` WHERE meter = ${p(1)} AND customer_id = ${p(2)} AND bucket >= ${p(3)} AND bucket < ${p(4)}`,
      params: [query.meter, query.customer_id, query.fromBucket, query.toBucket],
    }
  }

  /** The distinct unique-count values of one meter and customer over `[fromBucket, toBucket)`. */
  readValues(query: RollupQuery): SqlOp {
    const p = this.#q.placeholder
    return {
      sql:
        `SELECT DISTINCT value FROM ${this.#q.tables.rollupValues}` +
        ` WHERE meter = ${p(1)} AND customer_id = ${p(2)} AND bucket >= ${p(3)} AND bucket < ${p(4)}`,
      params: [query.meter, query.customer_id, query.fromBucket, query.toBucket],
    }
  }
}
