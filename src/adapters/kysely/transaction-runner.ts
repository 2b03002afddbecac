import type { RetryListener } from './retry.js'
import type { SqlOp, SqlResult, SqlScript } from './sql-script.js'

/**
 * Where scripts and statements run: synchronously on a better-sqlite3 handle, or on a pool's
 * connection. The storage speaks only to this.
 */
export interface TransactionRunner {
  /** Runs a script as one write transaction, retrying it whole after a lock conflict. */
  write<R>(script: () => SqlScript<R>): Promise<R>
  /** Runs one statement on its own (reads of committed data). */
  read(op: SqlOp): Promise<SqlResult>
  /** Runs `fn` (e.g. the migrator) while no script or statement of this runner may start. */
  exclusively<R>(fn: () => Promise<R>): Promise<R>
  /** Hears every failure the runner is about to retry. */
  onRetry: RetryListener | undefined
}
