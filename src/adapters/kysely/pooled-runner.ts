import { CompiledQuery, type Kysely } from 'kysely'
import type { DialectQuirks } from './dialect-quirks.js'
import { withRetries } from './retry.js'
import { driveAsync, type Row, type SqlOp, type SqlResult, type SqlScript } from './sql-script.js'

async function execute(db: Kysely<unknown>, op: SqlOp): Promise<SqlResult> {
  const result = await db.executeQuery<Row>(CompiledQuery.raw(op.sql, [...op.params]))
  return { rows: result.rows, affected: Number(result.numAffectedRows ?? 0n) }
}

/**
 * Runs scripts through kysely on a pooled async driver (PostgreSQL, MySQL): each script in one
 * READ COMMITTED transaction on one connection, so every statement sees what committed before it
 * (MySQL's default REPEATABLE READ would hide a row whose key just blocked our insert). A deadlock
 * or serialization failure retries the whole transaction.
 *
 * @example
 * const runner = new PooledRunner(db, postgresQuirks('public'))
 * const created = await runner.write(() => createMeterScript(statements, meter, compileMeterEffects))
 */
export class PooledRunner {
  readonly #db: Kysely<unknown>
  readonly #quirks: DialectQuirks

  constructor(db: Kysely<unknown>, quirks: DialectQuirks) {
    this.#db = db
    this.#quirks = quirks
  }

  write<R>(script: () => SqlScript<R>): Promise<R> {
    return withRetries(
      () =>
        this.#db
          .transaction()
          .setIsolationLevel('read committed')
          .execute((trx) => driveAsync(script(), (op) => execute(trx, op))),
      (error) => this.#quirks.isRetryable(error),
    )
  }

  read(op: SqlOp): Promise<SqlResult> {
    return execute(this.#db, op)
  }

  exclusively<R>(fn: () => Promise<R>): Promise<R> {
    return fn()
  }
}
