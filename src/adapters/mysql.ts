import { createPool, type Pool } from 'mysql2'
import type { Storage } from '../core/ports/index.js'
import { mysqlUriSecrets, poolSecrets } from './kysely/connection-strings.js'
import { createMysqlStorage, type MysqlStorageOptions } from './kysely/mysql/mysql-backend.js'

export type { MysqlStorageOptions } from './kysely/mysql/mysql-backend.js'

/** Where a MySQL storage connects: a URI (it makes and ends its pool), or the host's `mysql2` pool. */
export type MysqlStorageTarget = { uri: string } | { pool: Pool }

/**
 * A storage in MySQL 8.0.17+ or MariaDB 10.6+, through `mysql2` (an optional peer dependency). Concurrent
 * `ingest` calls are merged into shared transactions (group commit). Given a `uri` it creates a pool
 * and `close()` ends it; a host's callback-style `pool` (from `mysql2`, not `mysql2/promise`) is
 * left open, and the host should listen to `'error'` on its connections
 * (`pool.on('connection', (c) => c.on('error', …))`): mysql2 emits it when a connection dies, and
 * an unheard one ends the process. Decimals are read as text, so a pool's `decimalNumbers` setting
 * does not matter. A malformed URI is a `ValidationError` (`INVALID_OPTIONS`) that does not repeat
 * it; a lost or refused connection is a retryable `STORAGE_UNAVAILABLE`.
 *
 * @example
 * import { createBilling } from 'kobometer'
 * import { mysqlStorage } from 'kobometer/mysql'
 * const billing = await createBilling({ storage: mysqlStorage({ uri: 'mysql://root@127.0.0.1:3306/billing' }) })
 */
export function mysqlStorage(target: MysqlStorageTarget, options: MysqlStorageOptions = {}): Storage {
  if ('pool' in target) {
    const config = (target.pool as { config?: { connectionConfig?: { password?: unknown } } }).config
    return createMysqlStorage(target.pool, false, options, poolSecrets(config?.connectionConfig))
  }
  const secrets = mysqlUriSecrets(target.uri)
  // BIGINTs (epoch ms, counts) come back as numbers: they fit a double exactly.
  return createMysqlStorage(
    createPool({ uri: target.uri, supportBigNumbers: true, bigNumberStrings: false }),
    true,
    options,
    secrets,
  )
}
