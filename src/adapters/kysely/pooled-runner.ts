import { CompiledQuery, type Kysely } from 'kysely'
import { InterruptedTransaction, isConnectionFailure } from './connection-failures.js'
import type { DialectQuirks } from './dialect-quirks.js'
import { type RetryListener, withRetries } from './retry.js'
import { driveAsync, type Row, type SqlOp, type SqlResult, type SqlScript } from './sql-script.js'

type Executor = Pick<Kysely<unknown>, 'executeQuery'>

async function execute(db: Executor, op: SqlOp): Promise<SqlResult> {
  const result = await db.executeQuery<Row>(CompiledQuery.raw(op.sql, [...op.params]))
  return { rows: result.rows, affected: Number(result.numAffectedRows ?? 0n) }
}

const statement = (sql: string): SqlOp => ({ sql, params: [] })

/**
 * Runs scripts through kysely on a pooled async driver (PostgreSQL, MySQL): each script in one
 * READ COMMITTED transaction on one connection, so every statement sees what committed before it
 * (MySQL's default REPEATABLE READ would hide a row whose key just blocked our insert). `begin` is
 * the dialect's statements that open such a transaction.
 *
 * Retried whole, on a fresh connection: a deadlock or serialization failure, and a connection lost
 * before COMMIT was sent (the database rolls back a transaction whose connection ended, so nothing
 * was written and the script may run again). A connection lost after COMMIT was sent is never
 * retried here: whether it committed is unknown, and it surfaces as an `InterruptedTransaction`
 * with `maybeCommitted` for the caller to retry with its idempotency keys.
 *
 * @example
 * const runner = new PooledRunner(db, postgresQuirks('public'), ['start transaction isolation level read committed'])
 * const created = await runner.write(() => createMeterScript(statements, meter, compileMeterEffects))
 */
export class PooledRunner {
  readonly #db: Kysely<unknown>
  readonly #quirks: DialectQuirks
  readonly #begin: readonly SqlOp[]
  onRetry: RetryListener | undefined

  constructor(db: Kysely<unknown>, quirks: DialectQuirks, begin: readonly string[]) {
    this.#db = db
    this.#quirks = quirks
    this.#begin = begin.map(statement)
  }

  write<R>(script: () => SqlScript<R>): Promise<R> {
    return withRetries(
      () => this.#transaction(script),
      (error) =>
        this.#quirks.isRetryable(error) || (error instanceof InterruptedTransaction && !error.maybeCommitted),
      undefined,
      this.onRetry,
    )
  }

  read(op: SqlOp): Promise<SqlResult> {
    // A read changes nothing: on a lost connection it is safe to run again.
    return withRetries(() => execute(this.#db, op), isConnectionFailure, undefined, this.onRetry)
  }

  exclusively<R>(fn: () => Promise<R>): Promise<R> {
    return fn()
  }

  async #transaction<R>(script: () => SqlScript<R>): Promise<R> {
    let committing = false
    try {
      return await this.#db.connection().execute(async (connection) => {
        try {
          for (const op of this.#begin) await execute(connection, op)
          const result = await driveAsync(script(), (op) => execute(connection, op))
          committing = true
          await execute(connection, statement('commit'))
          return result
        } catch (error) {
          // A dead connection is discarded on release; a live one is handed back clean.
          if (!isConnectionFailure(error)) await execute(connection, statement('rollback')).catch(() => {})
          throw error
        }
      })
    } catch (error) {
      throw isConnectionFailure(error) ? new InterruptedTransaction(error, committing) : error
    }
  }
}
