/** A result row as drivers return it: column name to value. */
export type Row = Record<string, unknown>

/** One SQL statement with its positional parameters, in the dialect's placeholder style. */
export interface SqlOp {
  readonly sql: string
  readonly params: readonly unknown[]
}

/** What a statement gave back: its rows (for reads and `RETURNING`) and how many rows it changed. */
export interface SqlResult {
  readonly rows: readonly Row[]
  readonly affected: number
}

/**
 * A transaction written once for every dialect: a generator that yields statements and receives
 * their results. better-sqlite3 drives it synchronously (the whole transaction runs without
 * yielding to the event loop); pooled drivers drive it with `await`.
 */
export type SqlScript<R> = Generator<SqlOp, R, SqlResult>

/**
 * Runs a script to completion with a synchronous executor.
 *
 * @example
 * const version = driveSync(readVersionScript(sql), (op) => cache.execute(op))
 */
export function driveSync<R>(script: SqlScript<R>, execute: (op: SqlOp) => SqlResult): R {
  let step = script.next()
  while (!step.done) step = script.next(execute(step.value))
  return step.value
}

/**
 * Runs a script to completion with an asynchronous executor, one statement at a time.
 *
 * @example
 * const outcomes = await driveAsync(appendScript(sql, meters, requests), (op) => run(trx, op))
 */
export async function driveAsync<R>(
  script: SqlScript<R>,
  execute: (op: SqlOp) => Promise<SqlResult>,
): Promise<R> {
  let step = script.next()
  while (!step.done) step = script.next(await execute(step.value))
  return step.value
}

/**
 * Splits a list into consecutive slices of at most `size` items.
 *
 * @example
 * chunks([1, 2, 3], 2) // [[1, 2], [3]]
 */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  if (items.length === 0) return []
  if (items.length <= size) return [items.slice()]
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
