/**
 * `INSERT … ON CONFLICT (target) DO NOTHING`, as PostgreSQL and SQLite write it.
 *
 * @example
 * onConflictDoNothing('t', 'k, v', 'VALUES (?,?)', 'k') // 'INSERT INTO t (k, v) VALUES (?,?) ON CONFLICT (k) DO NOTHING'
 */
export function onConflictDoNothing(table: string, columns: string, source: string, target: string): string {
  return `INSERT INTO ${table} (${columns}) ${source} ON CONFLICT (${target}) DO NOTHING`
}

/**
 * `INSERT … ON CONFLICT (target) DO UPDATE SET …` with the stored row aliased `r` and the incoming
 * one named `excluded`, as PostgreSQL and SQLite write it.
 *
 * @example
 * onConflictUpdate('t', 'k, n', 'VALUES (?,?)', 'k', (r, x) => `n = ${r('n')} + ${x('n')}`)
 * // 'INSERT INTO t AS r (k, n) VALUES (?,?) ON CONFLICT (k) DO UPDATE SET n = r.n + excluded.n'
 */
export function onConflictUpdate(
  table: string,
  columns: string,
  source: string,
  target: string,
  set: (stored: (column: string) => string, incoming: (column: string) => string) => string,
): string {
  const assignments = set(
    (column) => `r.${column}`,
    (column) => `excluded.${column}`,
  )
  return `INSERT INTO ${table} AS r (${columns}) ${source} ON CONFLICT (${target}) DO UPDATE SET ${assignments}`
}

const inListSql = new Map<number, string>()

/**
 * `column IN (?, ?, …)` with one placeholder per value; the placeholder list is built once per length.
 *
 * @example
 * questionMarkIn('k', ['a', 'b']) // { sql: 'k IN (?,?)', params: ['a', 'b'] }
 */
export function questionMarkIn(column: string, values: readonly string[]): { sql: string; params: string[] } {
  let list = inListSql.get(values.length)
  if (list === undefined) {
    list = `${'?,'.repeat(Math.max(0, values.length - 1))}?`
    if (inListSql.size < 4096) inListSql.set(values.length, list)
  }
  return { sql: `${column} IN (${list})`, params: [...values] }
}
