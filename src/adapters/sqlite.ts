import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import Database from 'better-sqlite3'
import type { Storage } from '../core/ports/index.js'
import { createSqliteStorage, type SqliteStorageOptions } from './kysely/sqlite/sqlite-backend.js'
import { sqliteOpenFailure } from './kysely/sqlite/sqlite-open-failure.js'
import { WalCheckpointer } from './kysely/sqlite/wal-checkpointer.js'

export type { SqliteStorageOptions } from './kysely/sqlite/sqlite-backend.js'

/** Where a SQLite storage keeps its data: a file it opens (and closes), or the host's open handle. */
export type SqliteStorageTarget = { filename: string } | { database: Database.Database }

// A file on disk gets a checkpoint thread (a memory or temporary database has no WAL to copy back).
// Where the driver cannot be found by path (an app bundled into one file), the storage checkpoints
// on its own connection instead.
function checkpointerFor(filename: string): WalCheckpointer | undefined {
  if (filename === '' || filename === ':memory:' || filename.startsWith('file:')) return undefined
  let driver: string
  try {
    driver = createRequire(import.meta.url).resolve('better-sqlite3')
  } catch {
    return undefined
  }
  // Resolved now: the thread must open this file even if the host changes its directory later.
  return new WalCheckpointer(resolve(filename), driver)
}

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
    return createSqliteStorage(database, true, options, checkpointerFor(database.name))
  } catch (error) {
    database.close()
    throw sqliteOpenFailure(error)
  }
}
