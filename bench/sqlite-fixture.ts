import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { ownedSqlitePragmas } from '../src/adapters/kysely/sqlite/sqlite-backend.js'

/**
 * Opens a raw better-sqlite3 baseline with exactly the settings a kobometer SQLite storage gives the
 * file it opens (WAL, synchronous, busy timeout, page cache, checkpoint interval), so a ratio
 * compares the work done, not two configurations.
 * @example const raw = openRawSqlite(join(dir, 'raw.db'))
 */
export function openRawSqlite(filename: string): Database.Database {
  const db = new Database(filename)
  for (const pragma of ownedSqlitePragmas()) db.pragma(pragma)
  return db
}

/**
 * A fresh temporary directory for a suite's database files, and a function that removes it.
 * @example const { dir, remove } = benchDir(); try { … } finally { remove() }
 */
export function benchDir(): { dir: string; sub: (name: string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'kobometer-bench-'))
  return {
    dir,
    sub: (name) => {
      const path = join(dir, name)
      mkdirSync(path)
      return path
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}
