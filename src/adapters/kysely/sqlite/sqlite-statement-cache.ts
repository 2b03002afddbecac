import type { SqliteDatabase } from 'kysely'
import type { SqlOp, SqlResult } from '../sql-script.js'

/** What kobometer uses of a better-sqlite3 statement (structural: the driver stays optional). */
export interface SqliteStatementLike {
  readonly reader: boolean
  all(params: readonly unknown[]): unknown[]
  run(params: readonly unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint }
  iterate(params: readonly unknown[]): IterableIterator<unknown>
}

/** What kobometer uses of a better-sqlite3 database handle. */
export interface SqliteHandle {
  readonly inTransaction: boolean
  prepare(sql: string): SqliteStatementLike
  pragma(source: string, options?: { simple?: boolean }): unknown
  function(
    name: string,
    options: { deterministic: boolean },
    fn: (a: unknown, b: unknown) => unknown,
  ): unknown
  aggregate(
    name: string,
    options: { deterministic: boolean; start: null; step: (total: unknown, value: unknown) => unknown },
  ): unknown
  close(): unknown
}

// What a statement that changes rows answers for rows: one empty list, shared.
const NO_ROWS: readonly never[] = Object.freeze([])

/** Distinct statement texts kept prepared; past it the cache starts over (kobometer uses far fewer). */
const CAPACITY = 1024

/**
 * Prepares each statement text once. better-sqlite3's `prepare` parses the SQL every time (and
 * kysely's SQLite driver calls it on every query); a multi-row insert costs more to parse than to run.
 *
 * @example
 * const cache = new SqliteStatementCache(db)
 * cache.execute({ sql: 'SELECT 1 AS one', params: [] }).rows // [{ one: 1 }]
 */
export class SqliteStatementCache {
  readonly #db: SqliteHandle
  readonly #statements = new Map<string, SqliteStatementLike>()

  constructor(db: SqliteHandle) {
    this.#db = db
  }

  /** The prepared statement for `sql`, prepared now if it is not cached. */
  get(sql: string): SqliteStatementLike {
    const cached = this.#statements.get(sql)
    if (cached !== undefined) return cached
    const statement = this.#db.prepare(sql)
    if (this.#statements.size >= CAPACITY) this.#statements.clear()
    this.#statements.set(sql, statement)
    return statement
  }

  /** Runs one statement synchronously. */
  execute(op: SqlOp): SqlResult {
    const statement = this.get(op.sql)
    if (statement.reader) return { rows: statement.all(op.params) as SqlResult['rows'], affected: 0 }
    return { rows: NO_ROWS, affected: Number(statement.run(op.params).changes) }
  }

  /** Forgets every statement (they die with their database). */
  clear(): void {
    this.#statements.clear()
  }

  /** The handle as kysely's SQLite dialect sees it, preparing through this cache. */
  kyselyDatabase(close: () => void): SqliteDatabase {
    return { prepare: (sql) => this.get(sql), close }
  }
}
