import type { BillingError } from '../../../core/errors.js'
import { storageFailure } from '../storage-errors.js'

const UNBUILT = 'Could not locate the bindings file'

/**
 * The error for a SQLite file that could not be opened. better-sqlite3 installed without its native
 * module (npm holds back install scripts it was not told to allow) gets the two commands that fix it.
 *
 * @example
 * try { db = new Database(filename) } catch (e) { throw sqliteOpenFailure(e) }
 */
export function sqliteOpenFailure(error: unknown): BillingError {
  if (!(error instanceof Error) || !error.message.includes(UNBUILT))
    return storageFailure('sqlite', 'open', error)
  const hint = new Error(
    'better-sqlite3 is installed but its native module was not built, usually because npm held back its install script. ' +
      'Run `npm install-scripts approve better-sqlite3` (npm versions that ask for approval) and then `npm rebuild better-sqlite3`. ' +
      error.message,
  )
  return storageFailure('sqlite', 'open', hint)
}
