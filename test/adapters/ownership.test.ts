import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { createPool } from 'mysql2'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { mysqlStorage } from '../../src/adapters/mysql.js'
import { postgresStorage } from '../../src/adapters/postgres.js'
import { sqliteStorage } from '../../src/adapters/sqlite.js'
import { createBilling } from '../../src/index.js'
import { mysqlTarget, postgresTarget } from '../support/targets.js'

// billing.close() releases what kobometer opened, and nothing the host passed in.
describe('close() and ownership', () => {
  it('sqlite: leaves a host database handle open, and closes a file it opened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kobometer-own-'))
    try {
      const db = new Database(join(dir, 'host.db'))
      const billing = await createBilling({ storage: sqliteStorage({ database: db }) })
      await billing.close()
      expect(db.open).toBe(true)
      expect(db.prepare('SELECT count(*) AS n FROM kobometer_events').get()).toEqual({ n: 0 })
      db.close()
      const own = await createBilling({ storage: sqliteStorage({ filename: join(dir, 'own.db') }) })
      await own.close()
      await expect(own.meters.list()).rejects.toMatchObject({ code: 'CLOSED' })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it.skipIf(process.platform !== 'linux')(
    'sqlite: close() releases the file it opened, also for an instance that never migrated',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kobometer-own-'))
      const filename = join(dir, 'own.db')
      // This process's open descriptors on the database file (Linux: /proc/self/fd).
      const openOnFile = () =>
        readdirSync('/proc/self/fd').filter((fd) => {
          try {
            return readlinkSync(`/proc/self/fd/${fd}`) === filename
          } catch {
            return false
          }
        }).length
      try {
        const first = await createBilling({ storage: sqliteStorage({ filename }) })
        await first.meters.create({ code: 'calls', event_name: 'call', aggregation: 'count' })
        await first.close()
        expect(openOnFile()).toBe(0)
        // A second process's usual instance: the store is migrated already; it only ingests.
        const second = await createBilling({ storage: sqliteStorage({ filename }), migrate: false })
        for (let i = 0; i < 100; i++) {
          await second.events.ingest({
            events: [{ event_name: 'call', customer_id: 'c', idempotency_key: `k${i}` }],
          })
          await new Promise((resolve) => setTimeout(resolve, 0))
        }
        expect(openOnFile()).toBeGreaterThan(0)
        await second.close()
        expect(openOnFile()).toBe(0)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  )

  it.skipIf(postgresTarget.skip)('postgres: leaves a host pool open', async () => {
    const store = await postgresTarget.fresh()
    const config = store.config as { connectionString: string; schema: string }
    const pool = new pg.Pool({ connectionString: config.connectionString })
    try {
      const billing = await createBilling({ storage: postgresStorage({ pool }, { schema: config.schema }) })
      await billing.close()
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
    } finally {
      await pool.end()
      await store.destroy()
    }
  })

  it.skipIf(mysqlTarget.skip)('mysql: leaves a host pool open', async () => {
    const store = await mysqlTarget.fresh()
    const pool = createPool({ uri: (store.config as { uri: string }).uri })
    try {
      const billing = await createBilling({ storage: mysqlStorage({ pool }) })
      await billing.close()
      const [rows] = await pool.promise().query('SELECT 1 AS one')
      expect(rows).toEqual([{ one: 1 }])
    } finally {
      await pool.promise().end()
      await store.destroy()
    }
  })
})
