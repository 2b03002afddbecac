import Database from 'better-sqlite3'
import type { Storage } from '../core/ports/index.js'
import { createSqliteStorage, type SqliteStorageOptions } from './kysely/sqlite/sqlite-backend.js'
import { sqliteOpenFailure } from './kysely/sqlite/sqlite-open-failure.js'

export type { SqliteStorageOptions } from './kysely/sqlite/sqlite-backend.js'

/** Where a SQLite storage keeps its data: a file it opens (and closes), or the host's open handle. */
export type SqliteStorageTarget = { filename: string } | { database: Database.Database }

/**
 * A storage in a SQLite file, through better-sqlite3 (an optional peer dependency). Given a
 * `filename`, it opens the file with WAL, `synchronous = NORMAL` (pass `synchronous: 'full'` to
 * survive power loss) and a 10 s busy timeout, and `close()` closes it. Given a `database`, it uses
 * the host's handle as configured and leaves it open. Several processes may share one file.
 *
 * @example
 * import { createBilling } from 'kobometer'
 * import { sqliteStorage } from 'kobometer/sqlite'
 * const billing = await createBilling({ storage: sqliteStorage({ filename: './billing.db' }) })
 */
export function sqliteStorage(target: SqliteStorageTarget, options: SqliteStorageOptions = {}): Storage {
  if ('database' in target) return createSqliteStorage(target.database, false, options)
  let database: Database.Database
  try {
    database = new Database(target.filename)
  } catch (error) {
    throw sqliteOpenFailure(error)
  }
  try {
    return createSqliteStorage(database, true, options)
  } catch (error) {
    database.close()
    throw sqliteOpenFailure(error)
  }
}
