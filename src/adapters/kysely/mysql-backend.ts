import { Kysely, MysqlDialect, type MysqlPool } from 'kysely'
import type { Storage } from '../../core/ports.js'
import { KyselyStorage } from './kysely-storage.js'
import { mysqlQuirks } from './mysql-quirks.js'
import { setStrictMode, strictHostPool } from './mysql-strict-session.js'
import { PooledRunner } from './pooled-runner.js'

/**
 * Assembles the MySQL/MariaDB storage on a `mysql2` (callback) pool. A pool this storage created
 * (`owned`) is ended by `close()`; a host's pool is left open. Every session kobometer uses runs
 * in strict `sql_mode`; a host's sessions get their own mode back when kobometer releases them.
 *
 * @example
 * const storage = createMysqlStorage(createPool({ uri }), true)
 */
export function createMysqlStorage(pool: MysqlPool, owned: boolean): Storage {
  const dialect = owned
    ? new MysqlDialect({ pool, onCreateConnection: setStrictMode })
    : new MysqlDialect({ pool: strictHostPool(pool) })
  const db = new Kysely<unknown>({ dialect })
  return new KyselyStorage({
    name: 'mysql',
    db,
    quirks: mysqlQuirks,
    runner: new PooledRunner(db, mysqlQuirks),
    groupCommit: true,
  })
}
