import { Kysely, PostgresDialect } from 'kysely'
import type pg from 'pg'
import { ErrorCode, ValidationError } from '../../../core/errors.js'
import type { Storage } from '../../../core/ports/index.js'
import { appendTransactions } from '../append-transactions.js'
import { KyselyStorage } from '../kysely-storage.js'
import { PooledRunner } from '../pooled-runner.js'
import { guardPgPool } from './guarded-pg-pool.js'
import { postgresQuirks } from './postgres-quirks.js'

/** Options of a PostgreSQL storage. */
export interface PostgresStorageOptions {
  /** The PostgreSQL schema holding kobometer's tables; created by `migrate()` if missing. Default `public`. */
  schema?: string
  /**
   * Merged append transactions this process runs at once, each on its own pooled connection (1 to
   * 16, default 4): concurrent `ingest` calls are merged, and a large queue is split over this many
   * transactions that the server works on in parallel. Keep it below the pool's size.
   */
  appendTransactions?: number
}

/**
 * Assembles the PostgreSQL storage on a `pg` pool. A pool this storage created (`owned`) is ended
 * by `close()`; a host's pool is left open. `secrets` (the password's forms) are scrubbed from
 * every error the storage throws.
 *
 * @example
 * const storage = createPostgresStorage(new pg.Pool({ connectionString }), true, { schema: 'billing' }, ['S3cret'])
 */
export function createPostgresStorage(
  pool: pg.Pool,
  owned: boolean,
  options: PostgresStorageOptions = {},
  secrets: readonly string[] = [],
): Storage {
  const schema = options.schema ?? 'public'
  if (typeof schema !== 'string' || schema.length === 0 || schema.length > 63) {
    throw new ValidationError(
      ErrorCode.INVALID_OPTIONS,
      'schema must be a PostgreSQL schema name of 1 to 63 characters',
      {
        path: 'schema',
      },
    )
  }
  const quirks = postgresQuirks(schema)
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: guardPgPool(pool, owned) }) })
  return new KyselyStorage({
    name: 'postgres',
    db,
    quirks,
    runner: new PooledRunner(db, quirks, ['start transaction isolation level read committed']),
    groupCommit: { concurrency: appendTransactions(options.appendTransactions) },
    secrets,
  })
}
