import type { DialectQuirks } from '../dialect-quirks.js'
import { type RetryListener, withRetries } from '../retry.js'
import { driveSync, type SqlOp, type SqlResult, type SqlScript } from '../sql-script.js'
import type { SqliteHandle, SqliteStatementCache } from './sqlite-statement-cache.js'

// The parameters of BEGIN, COMMIT and ROLLBACK: one empty list, shared.
const NO_PARAMS: readonly never[] = Object.freeze([])

/**
 * Runs scripts on one better-sqlite3 connection, each as a whole synchronous transaction: nothing
 * else in this process can interleave, so no queue or mutex is needed. `BEGIN IMMEDIATE` takes the
 * database write lock first (waiting up to the busy timeout for other processes), which also makes
 * it the meters lock. Only the kysely migrator holds the connection across awaits; scripts wait.
 *
 * @example
 * const runner = new SqliteRunner(db, cache, sqliteQuirks)
 * const outcomes = await runner.write(() => appendScript(statements, meters, requests))
 */
export class SqliteRunner {
  readonly #db: SqliteHandle
  readonly #cache: SqliteStatementCache
  readonly #quirks: DialectQuirks
  #exclusive: Promise<unknown> | null = null
  onRetry: RetryListener | undefined
  /** Called after each COMMIT of a write (the idle merger counts them). */
  afterCommit: (() => void) | undefined

  constructor(db: SqliteHandle, cache: SqliteStatementCache, quirks: DialectQuirks) {
    this.#db = db
    this.#cache = cache
    this.#quirks = quirks
  }

  write<R>(script: () => SqlScript<R>): Promise<R> {
    // Behind `exclusively`: once it is over, checked again.
    const exclusive = this.#exclusive
    if (exclusive !== null) return exclusive.then(() => this.write(script))
    return withRetries(() => this.#transaction(script), this.#retryable, undefined, this.onRetry)
  }

  readonly #retryable = (error: unknown): boolean => this.#quirks.isRetryable(error)

  async read(op: SqlOp): Promise<SqlResult> {
    while (this.#exclusive !== null) await this.#exclusive
    return this.#cache.execute(op)
  }

  async exclusively<R>(fn: () => Promise<R>): Promise<R> {
    while (this.#exclusive !== null) await this.#exclusive
    const running = fn()
    this.#exclusive = running.catch(() => undefined)
    try {
      return await running
    } finally {
      this.#exclusive = null
    }
  }

  /**
   * Copies what the WAL holds back into the database file, as far as no reader needs it (a PASSIVE
   * checkpoint: it never waits for a lock). Does nothing while a transaction is open or the
   * connection is held by `exclusively`.
   *
   * @example
   * runner.checkpoint()
   */
  checkpoint(): void {
    if (this.#exclusive !== null || this.#db.inTransaction) return
    this.#cache.get('PRAGMA wal_checkpoint(PASSIVE)').all(NO_PARAMS)
  }

  #transaction<R>(script: () => SqlScript<R>): R {
    const cache = this.#cache
    cache.get('BEGIN IMMEDIATE').run(NO_PARAMS)
    let result: R
    try {
      result = driveSync(script(), (op) => cache.execute(op))
      cache.get('COMMIT').run(NO_PARAMS)
    } catch (error) {
      if (this.#db.inTransaction) cache.get('ROLLBACK').run(NO_PARAMS)
      throw error
    }
    // Outside the try: whatever it does, a committed write is never reported (or retried) as failed.
    this.afterCommit?.()
    return result
  }
}
