import type { KeyPageQuery } from '../../core/ports/index.js'
import type { DialectQuirks } from './dialect-quirks.js'
import type { SqlOp } from './sql-script.js'

/** A filter of a page: `column op value`, AND-ed with the others. */
export type PageFilter = readonly [column: string, op: '=' | '<' | '<=' | '>', value: unknown]

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
