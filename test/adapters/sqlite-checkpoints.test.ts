import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createSqliteStorage } from '../../src/adapters/kysely/sqlite/sqlite-backend.js'
import { SqliteRunner } from '../../src/adapters/kysely/sqlite/sqlite-runner.js'
import { WalCheckpointer } from '../../src/adapters/kysely/sqlite/wal-checkpointer.js'
import { sqliteStorage } from '../../src/adapters/sqlite.js'
import { compileMeterEffects } from '../../src/core/meters/meter-effects.js'
import type { Storage } from '../../src/core/ports/index.js'
import { event, meter, T0 } from '../../src/testing/ports/port-fixtures.js'
import { turnOfTheEventLoop } from '../support/event-loop.js'

const driver = createRequire(import.meta.url).resolve('better-sqlite3')
const neverCloses = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'never-closes.ts')

/** Waits up to `ms` for `done()`, checking every 10 ms; answers whether it came true. */
async function eventually(done: () => boolean, ms = 5000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 10))) {
    if (done()) return true
  }
  return done()
}

// A SQLite file the storage opened is checkpointed between requests, on a thread of its own, so
// neither the copy back into the file nor its fsyncs hold the host's event loop, and the WAL is
// copied back long before the connection's automatic checkpoint (every 50,000 pages).
describe('WAL checkpoints between requests on SQLite', () => {
  let dir: string
  let file: string
  let storages: Storage[]

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kobometer-ckpt-'))
    file = join(dir, 'billing.db')
    storages = []
  })
  afterEach(async () => {
    for (const s of storages) await s.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const size = () => statSync(file).size

  it('copies the WAL back into the file while a host serves single events, and stops with close()', async () => {
    const storage = sqliteStorage({ filename: file })
    storages.push(storage)
    await storage.migrate()
    await storage.meters.insert(meter('', 'calls'), compileMeterEffects)
    // Everything so far sits in the WAL: the automatic checkpoint is far away.
    const before = size()
    for (let i = 0; i < 300; i++) {
      await storage.events.append([event('', `e${i}`, 'cus_1', T0 + i)], compileMeterEffects)
      await turnOfTheEventLoop()
    }
    expect(await eventually(() => size() > before)).toBe(true)
    await storage.close()
    const closed = size()
    // Closed: nothing copies any more (the last connection's own checkpoint at close aside).
    await new Promise((r) => setTimeout(r, 100))
    expect(size()).toBe(closed)
  })

  it('a checkpoint thread copies what another connection wrote, without it', async () => {
    const db = new Database(file)
    db.pragma('journal_mode = WAL')
    db.pragma('wal_autocheckpoint = 0')
    db.exec('CREATE TABLE t (x TEXT)')
    const insert = db.prepare('INSERT INTO t VALUES (?)')
    for (let i = 0; i < 200; i++) insert.run('x'.repeat(1000))
    const checkpointer = new WalCheckpointer(file, driver)
    try {
      // The header page only: the rows are in the WAL.
      expect(size()).toBeLessThan(10_000)
      expect(checkpointer.request()).toBe(true)
      expect(await eventually(() => size() > 200_000)).toBe(true)
    } finally {
      await checkpointer.close()
      db.close()
    }
    expect(checkpointer.request()).toBe(false)
  })

  it('a thread that cannot start is reported once as unavailable, and nothing crashes', async () => {
    const checkpointer = new WalCheckpointer(file, join(dir, 'no-such-driver.js'))
    expect(checkpointer.request()).toBe(true)
    // The thread's error arrives as an event (listened to), never as an uncaught exception.
    expect(await eventually(() => !checkpointer.request())).toBe(true)
    await checkpointer.close()
  })

  it('without the thread, checkpoints on its own connection every 64 commits, not 16', async () => {
    // What a bundled app gets when the driver cannot be resolved by path: no checkpoint thread.
    const storage = createSqliteStorage(new Database(file), true)
    storages.push(storage)
    await storage.migrate()
    await storage.meters.insert(meter('', 'calls'), compileMeterEffects)
    const checkpoints = vi.spyOn(SqliteRunner.prototype, 'checkpoint')
    try {
      for (let i = 0; i < 320; i++) {
        await storage.events.append([event('', `e${i}`, 'cus_1', T0 + i)], compileMeterEffects)
        await turnOfTheEventLoop()
      }
      // 320 appends and the merge slices between them: at least 5 turns of 64 commits, far fewer
      // than the 20 of 16 commits each.
      expect(checkpoints.mock.calls.length).toBeGreaterThanOrEqual(5)
      expect(checkpoints.mock.calls.length).toBeLessThan(10)
    } finally {
      checkpoints.mockRestore()
    }
  })

  it('a host that never calls close() still exits on its own', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', neverCloses, file], {
      timeout: 60_000,
    })
    expect(stdout).toBe('ingested\n')
    // It checkpointed on its thread before it left: the file holds the schema's pages (a process
    // that exits without closing leaves the rest in the WAL).
    expect(size()).toBeGreaterThan(100_000)
  }, 90_000)
})
