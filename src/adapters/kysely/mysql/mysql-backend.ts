import { Kysely, MysqlDialect } from 'kysely'
import type { Pool } from 'mysql2'
import type { Storage } from '../../../core/ports/index.js'
import { KyselyStorage } from '../kysely-storage.js'
import { PooledRunner } from '../pooled-runner.js'
import { guardMysqlPool } from './guarded-mysql-pool.js'
import { mysqlQuirks } from './mysql-quirks.js'
import { setStrictMode, strictHostPool } from './mysql-strict-session.js'

/**
 * Assembles the MySQL/MariaDB storage on a `mysql2` (callback) pool. A pool this storage created
 * (`owned`) is ended by `close()`; a host's pool is left open. Every session kobometer uses runs
 * in strict `sql_mode`; a host's sessions get their own mode back when kobometer releases them.
 * Connections that failed are destroyed, never pooled. `secrets` (the password's forms) are
 * scrubbed from every error the storage throws.
 *
 * @example
 * const storage = createMysqlStorage(createPool({ uri }), true, ['S3cret'])
 */
export function createMysqlStorage(pool: Pool, owned: boolean, secrets: readonly string[] = []): Storage {
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
    groupCommit: { concurrency: 4 },
    secrets,
  })
}
