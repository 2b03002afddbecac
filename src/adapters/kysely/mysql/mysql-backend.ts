import { Kysely, MysqlDialect } from 'kysely'
import type { Pool } from 'mysql2'
import type { Storage } from '../../../core/ports/index.js'
import { appendTransactions } from '../append-transactions.js'
import { KyselyStorage } from '../kysely-storage.js'
import { PooledRunner } from '../pooled-runner.js'
import { guardMysqlPool } from './guarded-mysql-pool.js'
import { mysqlQuirks } from './mysql-quirks.js'
import { setStrictMode, strictHostPool } from './mysql-strict-session.js'

/** Options of a MySQL/MariaDB storage. */
export interface MysqlStorageOptions {
  /**
   * Merged append transactions this process runs at once, each on its own pooled connection (1 to
   * 16, default 4): concurrent `ingest` calls are merged, and a large queue is split over this many
   * transactions that the server works on in parallel. Keep it below the pool's size.
   */
  appendTransactions?: number
}

/**
 * Assembles the MySQL/MariaDB storage on a `mysql2` (callback) pool. A pool this storage created
 * (`owned`) is ended by `close()`; a host's pool is left open. Every session kobometer uses runs
 * in strict `sql_mode`; a host's sessions get their own mode back when kobometer releases them.
 * Connections that failed are destroyed, never pooled. `secrets` (the password's forms) are
 * scrubbed from every error the storage throws.
 *
 * @example
 * const storage = createMysqlStorage(createPool({ uri }), true, {}, ['S3cret'])
 */
export function createMysqlStorage(
  pool: Pool,
  owned: boolean,
  options: MysqlStorageOptions = {},
  secrets: readonly string[] = [],
): Storage {
  const concurrency = appendTransactions(options.appendTransactions)
  const guarded = guardMysqlPool(pool, owned)
  const dialect = owned
    ? new MysqlDialect({ pool: guarded, onCreateConnection: setStrictMode })
    : new MysqlDialect({ pool: strictHostPool(guarded) })
  const db = new Kysely<unknown>({ dialect })
  return new KyselyStorage({
    name: 'mysql',
    db,
    quirks: mysqlQuirks,
    runner: new PooledRunner(db, mysqlQuirks, ['set transaction isolation level read committed', 'begin']),
    groupCommit: { concurrency },
    secrets,
  })
}
