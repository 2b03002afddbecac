import pg from 'pg'
import type { Storage } from '../core/ports/index.js'
import { poolSecrets, postgresConnectionSecrets } from './kysely/connection-strings.js'
import { createPostgresStorage, type PostgresStorageOptions } from './kysely/postgres/postgres-backend.js'

export type { PostgresStorageOptions } from './kysely/postgres/postgres-backend.js'

/** Where a PostgreSQL storage connects: a connection string (it makes and ends its pool), or the host's pool. */
export type PostgresStorageTarget = { connectionString: string } | { pool: pg.Pool }

/**
 * A storage in PostgreSQL, through `pg` (an optional peer dependency). Concurrent `ingest` calls are
 * merged into shared transactions (group commit). Given a `connectionString` it creates a pool and
 * `close()` ends it; a host's `pool` is left open, and the host should listen to its `'error'`
 * event (`pool.on('error', …)`): pg emits it when an idle connection dies, and an unheard one ends
 * the process. Tables live in `options.schema` (default `public`). A malformed connection string
 * is a `ValidationError` (`INVALID_OPTIONS`) that does not repeat it; a lost or refused connection
 * is a retryable `STORAGE_UNAVAILABLE`.
 *
 * @example
 * import { createBilling } from 'kobometer'
 * import { postgresStorage } from 'kobometer/postgres'
 * const billing = await createBilling({
 *   storage: postgresStorage({ connectionString: process.env.DATABASE_URL! }, { schema: 'billing' }),
 * })
 */
export function postgresStorage(
  target: PostgresStorageTarget,
  options: PostgresStorageOptions = {},
): Storage {
  if ('pool' in target) {
    return createPostgresStorage(target.pool, false, options, poolSecrets(target.pool.options))
  }
  const secrets = postgresConnectionSecrets(target.connectionString)
  return createPostgresStorage(
    new pg.Pool({ connectionString: target.connectionString }),
    true,
    options,
    secrets,
  )
}
