import { Kysely } from 'kysely'
import type { Storage } from '../../../core/ports/index.js'
import type { DialectQuirks } from '../dialect-quirks.js'
import { integerOption } from '../integer-option.js'
import { KyselyStorage } from '../kysely-storage.js'
import { statementSet } from '../statement-set.js'
import { IdleMerger } from './idle-merger.js'
import { registerDecimalFunctions } from './sqlite-decimal-functions.js'
import { ImmediateSqliteDialect } from './sqlite-dialect.js'
import { DEFAULT_MERGE_EVERY, sqliteQuirks } from './sqlite-quirks.js'
import { SqliteRunner } from './sqlite-runner.js'
import { type SqliteHandle, SqliteStatementCache } from './sqlite-statement-cache.js'
import type { WalCheckpointer } from './wal-checkpointer.js'

/** Options of a SQLite storage. */
export interface SqliteStorageOptions {
  /**
   * `'normal'` (default): WAL with `synchronous = NORMAL`, a committed batch survives a process
   * crash, and the last commits may be lost on power loss or an OS crash. `'full'`: fsync on every
   * commit, durable through power loss, slower.
   */
  synchronous?: 'normal' | 'full'
  /** How long a write waits for another process's lock before failing, in ms. Default 10,000. */
  busyTimeoutMs?: number
  /**
   * How many appended events may wait for the merge into the per-customer index and the minute and
   * hourly rollups (1 to 1,000,000, default 20,000), or a quarter as many appends (single events).
   * Appends only add rows at the end of the file; the append that reaches the bound merges them
   * all, sorted, and any read of usage or events merges first, so reads stay exact. Larger: faster
   * bulk ingest, longer pauses at each merge. A host appending one event (or a few) per request
   * seldom reaches the bound: between requests, once 64 such appends wait, they are merged in
   * slices of about a millisecond.
   */
  mergeEvery?: number
}

/**
 * The pragmas a SQLite storage applies to a handle it opened, in order: the busy timeout, WAL, the
 * synchronous level, a 64 MiB page cache, checkpoints every ~200 MiB of WAL and a WAL file kept
 * at up to 256 MiB. One list, so anything
 * that must run SQLite exactly as kobometer does (the raw-driver baselines of the benchmarks) reads
 * the same settings rather than copies of them.
 *
 * @example
 * for (const pragma of ownedSqlitePragmas({ synchronous: 'full' })) database.pragma(pragma)
 */
export function ownedSqlitePragmas(options: SqliteStorageOptions = {}): readonly string[] {
  return [
    `busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 10_000))}`,
    'journal_mode = WAL',
    `synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`,
    'cache_size = -65536',
    // Checkpoint every ~200 MiB of WAL instead of ~4 MiB: a batch dirties a page per customer in the
    // (customer_id, timestamp) index and rollups, and each checkpoint copies those hot pages back to
    // the file (and syncs). The WAL file is then kept at up to 256 MiB rather than cut back to 64:
    // cutting 136 MiB off it added ~50 ms to the commit that ran the checkpoint.
    'wal_autocheckpoint = 50000',
    'journal_size_limit = 268435456',
  ]
}

// Between requests, a slice of the merge once 64 small appends wait (checked every 16 commits):
// about a millisecond each, instead of a whole merge inside the request that reaches the bound.
// After 16 commits, a checkpoint too, on the checkpoint thread when there is one (the automatic
// checkpoint at 50,000 pages held a request 200-300 ms). Without the thread the checkpoint runs on
// the storage's connection and holds the event loop ~4 ms, mostly its two fsyncs, whatever the
// interval: every 64 commits there (HTTP single-event p99 measured at intervals of 16, 32, 64, 256
// and 1,024 commits: 21.5, 15.2, 10.5, 18 and 34 ms). Only on a handle this storage opened: a
// host's handle keeps the checkpoints it chose.
const IDLE_MERGE = Object.freeze({
  checkEvery: 16,
  minRows: 64,
  maxRows: 256,
  maxEvents: 2048,
  maxEventsPerRow: 4,
  checkpointEvery: 16,
})
// Appends that arrive in the same turn of the event loop once a turn has seen several (the requests
// a busy server handles side by side) share one transaction: one commit's WAL frames instead of one
// set per request. A lone caller, or one appending back to back, runs at once as before.
const SQLITE_GROUP_COMMIT = Object.freeze({ concurrency: 1, gatherWhenBusy: true })
/** Checkpoint turns (of `checkpointEvery` commits) between two checkpoints without the thread. */
const OWN_CONNECTION_TURNS = 4

/**
 * Assembles the SQLite storage on a better-sqlite3 handle. A handle this storage opened (`owned`)
 * gets kobometer's settings (`ownedSqlitePragmas`), checkpoints between requests (on
 * `checkpointer`'s thread when given) and is closed by `close()`; a host's handle keeps its own
 * settings and stays open. Either way the exact decimal functions are registered on it.
 *
 * @example
 * const storage = createSqliteStorage(new Database('billing.db'), true, { synchronous: 'full' })
 */
export function createSqliteStorage(
  database: SqliteHandle,
  owned: boolean,
  options: SqliteStorageOptions = {},
  checkpointer?: WalCheckpointer,
): Storage {
  const tailEvents = integerOption(options.mergeEvery, {
    path: 'mergeEvery',
    min: 1,
    max: 1_000_000,
    fallback: DEFAULT_MERGE_EVERY,
  })
  const quirks: DialectQuirks =
    tailEvents === DEFAULT_MERGE_EVERY
      ? sqliteQuirks
      : Object.freeze({ ...sqliteQuirks, deferredMerge: Object.freeze({ tailEvents }) })
  if (owned) for (const pragma of ownedSqlitePragmas(options)) database.pragma(pragma)
  registerDecimalFunctions(database)
  const cache = new SqliteStatementCache(database)
  const runner = new SqliteRunner(database, cache, quirks)
  let ownTurns = 0
  const merger = new IdleMerger(
    (script) => runner.write(script),
    statementSet(quirks),
    owned ? IDLE_MERGE : { ...IDLE_MERGE, checkpointEvery: 0 },
    () => {
      if (checkpointer?.request() === true) return
      ownTurns = (ownTurns + 1) % OWN_CONNECTION_TURNS
      if (ownTurns === 0) runner.checkpoint()
    },
  )
  runner.afterCommit = () => merger.committed()
  // Run by kysely's destroy when it opened its driver, and by the storage's close() in any case
  // (which also waits for the checkpoint thread to end).
  let closed: Promise<void> | null = null
  const close = (): Promise<void> => {
    if (closed !== null) return closed
    merger.close()
    closed = checkpointer?.close() ?? Promise.resolve()
    cache.clear()
    if (owned) database.close()
    return closed
  }
  const db = new Kysely<unknown>({
    dialect: new ImmediateSqliteDialect({ database: cache.kyselyDatabase(close) }),
  })
  return new KyselyStorage({
    name: 'sqlite',
    db,
    quirks,
    runner,
    groupCommit: SQLITE_GROUP_COMMIT,
    release: close,
  })
}
