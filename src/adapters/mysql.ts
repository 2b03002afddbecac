import { createPool, type Pool } from 'mysql2'
import type { Storage } from '../core/ports.js'
import { createMysqlStorage } from './kysely/mysql-backend.js'

/** Where a MySQL storage connects: a URI (it makes and ends its pool), or the host's `mysql2` pool. */
export type MysqlStorageTarget = { uri: string } | { pool: Pool }

/**
 * A storage in MySQL 8.0.17+ or MariaDB 10.6+, through `mysql2` (an optional peer dependency). Concurrent
 * `ingest` calls are merged into shared transactions (group commit). Given a `uri` it creates a pool
 * and `close()` ends it; a host's callback-style `pool` (from `mysql2`, not `mysql2/promise`) is
 * left open. Decimals are read as text, so a pool's `decimalNumbers` setting does not matter.
 *
 * @example
 * import { createBilling } from 'kobometer'
 * import { mysqlStorage } from 'kobometer/mysql'
 * const billing = await createBilling({ storage: mysqlStorage({ uri: 'mysql://root@127.0.0.1:3306/billing' }) })
 */
export function mysqlStorage(target: MysqlStorageTarget): Storage {
  if ('pool' in target) return createMysqlStorage(target.pool, false)
  // BIGINTs (epoch ms, counts) come back as numbers: they fit a double exactly.
  return createMysqlStorage(
    createPool({ uri: target.uri, supportBigNumbers: true, bigNumberStrings: false }),
    true,
  )
}
