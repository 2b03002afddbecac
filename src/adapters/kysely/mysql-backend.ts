import { Kysely, MysqlDialect, type MysqlPool } from 'kysely'
import type { Storage } from '../../core/ports.js'
import { KyselyStorage } from './kysely-storage.js'
import { mysqlQuirks } from './mysql-quirks.js'
import { PooledRunner } from './pooled-runner.js'

/**
 * Assembles the MySQL/MariaDB storage on a `mysql2` (callback) pool. A pool this storage created
 * (`owned`) is ended by `close()`; a host's pool is left open.
 *
 * @example
 * const storage = createMysqlStorage(createPool({ uri }), true)
 */
export function createMysqlStorage(pool: MysqlPool, owned: boolean): Storage {
  const kyselyPool: MysqlPool = owned
    ? pool
    : { getConnection: (callback) => pool.getConnection(callback), end: (callback) => callback(null) }
  const db = new Kysely<unknown>({ dialect: new MysqlDialect({ pool: kyselyPool }) })
  return new KyselyStorage({
    name: 'mysql',
    db,
    quirks: mysqlQuirks,
    runner: new PooledRunner(db, mysqlQuirks),
    groupCommit: true,
  })
}
