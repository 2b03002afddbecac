import { type InvoiceRunShard, readShard } from '../../core/invoices/run-shard.js'
import type { KeyPageQuery } from '../../core/ports/index.js'
import type { DialectQuirks } from './dialect-quirks.js'
import type { SqlOp } from './sql-script.js'

/** A filter of a page: `column op value`, AND-ed with the others. */
export type PageFilter = readonly [column: string, op: '=' | '<' | '<=' | '>', value: unknown]

/**
 * The column subscriptions and invoices keep their subscription's `shardHash` in, so a shard of an
 * invoice run is filtered where its rows are read.
 */
export const SHARD_HASH_COLUMN = 'shard_hash'

/**
 * The page condition of one shard of an invoice run: rows whose {@link SHARD_HASH_COLUMN} is
 * `index` modulo `count`, and rows without one (written by a release before `0018_shard_hash`,
 * which the caller sorts out with `inShard`). None without a shard or with one shard of one. Both
 * numbers are checked integers (`readShard`) written into the SQL. It is a `COALESCE`, not an `OR`,
 * on purpose: PostgreSQL estimates an equality on an expression at 0.5% of the rows, and with that
 * estimate it scanned and sorted the whole table for every page instead of walking the key's index
 * (a run over `n` rows cost O(n²)); a `COALESCE` it estimates at one half.
 *
 * @example
 * shardCondition({ index: 1, count: 4 }) // ['COALESCE(shard_hash % 4 = 1, TRUE)']
 */
export function shardCondition(shard: InvoiceRunShard | undefined): string[] {
  const checked = readShard(shard)
  if (checked === undefined || checked.count === 1) return []
  return [`COALESCE(${SHARD_HASH_COLUMN} % ${checked.count} = ${checked.index}, TRUE)`]
}

/**
 * Collects positional parameters and hands out the dialect's placeholder for each, in order
 * (`$1, $2…` on PostgreSQL, `?` elsewhere), so optional conditions can be added in any number.
 *
 * @example
 * const p = new Params(postgresQuirks('public'))
 * `id = ${p.bind('c_1')}` // 'id = $1'; p.values // ['c_1']
 */
export class Params {
  readonly values: unknown[] = []
  readonly #q: DialectQuirks

  constructor(quirks: DialectQuirks) {
    this.#q = quirks
  }

  bind(value: unknown): string {
    this.values.push(value)
    return this.#q.placeholder(this.values.length)
  }
}

/**
 * A keyset page: `SELECT … FROM … WHERE filters AND key > after ORDER BY key LIMIT n`. Keys are
 * byte-ordered in every dialect (`COLLATE "C"`, `utf8mb4_bin`, SQLite's BINARY), which for the
 * ASCII ids in use is JavaScript's string order too. `where` adds conditions without parameters.
 *
 * @example
 * keysetPage(sqliteQuirks, 'SELECT doc FROM kobometer_customers', 'id', [], { after: 'c_1', limit: 10 })
 * // SELECT doc FROM kobometer_customers WHERE id > ? ORDER BY id LIMIT ?
 */
export function keysetPage(
  quirks: DialectQuirks,
  select: string,
  key: string,
  filters: readonly PageFilter[],
  page: KeyPageQuery,
  where: readonly string[] = [],
): SqlOp {
  const params = new Params(quirks)
  const conditions = [...where]
  for (const [column, op, value] of filters) conditions.push(`${column} ${op} ${params.bind(value)}`)
  if (page.after !== undefined) conditions.push(`${key} > ${params.bind(page.after)}`)
  const filter = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`
  return {
    sql: `${select}${filter} ORDER BY ${key} LIMIT ${params.bind(page.limit)}`,
    params: params.values,
  }
}
