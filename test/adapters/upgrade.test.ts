import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { Kysely, Migrator, SqliteDialect } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { kobometerMigrations } from '../../src/adapters/kysely/migrations.js'
import { TABLE } from '../../src/adapters/kysely/schema.js'
import { sqliteQuirks } from '../../src/adapters/kysely/sqlite-quirks.js'
import { sqliteStorage } from '../../src/adapters/sqlite.js'
import { createBilling } from '../../src/index.js'

// A store made by the first release (migration 0001 only, events in it) is upgraded in place by
// createBilling: the billing and payment tables are added, nothing stored is lost.
describe('upgrading a 0001 SQLite store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kobometer-upgrade-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('migrates to the latest schema with its events intact and bills them', async () => {
    const filename = join(dir, 'old.db')
    const old = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(filename) }) })
    const all = kobometerMigrations(sqliteQuirks)
    const first = Object.keys(all)[0]!
    const migrator = new Migrator({
      db: old,
      provider: { getMigrations: async () => ({ [first]: all[first]! }) },
      migrationTableName: TABLE.migration,
      migrationLockTableName: TABLE.migrationLock,
    })
    expect((await migrator.migrateToLatest()).error).toBeUndefined()
    await old.destroy()
    const raw = new Database(filename)
    const insert = raw.prepare(
      `INSERT INTO ${TABLE.events} (idempotency_key, customer_id, event_name, timestamp, properties, payload_hash, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    const JAN = Date.UTC(2027, 0, 1)
    for (let i = 0; i < 10; i++)
      insert.run(`old_${i}`, 'cus_old', 'api_call', JAN + i * 3_600_000, '{}', `h${i}`, JAN)
    raw.close()

    let now = JAN
    const billing = await createBilling({ storage: sqliteStorage({ filename }), clock: () => now })
    try {
      expect((await billing.events.list({ customer_id: 'cus_old', limit: 100 })).data).toHaveLength(10)
      await billing.meters.create({ code: 'calls', event_name: 'api_call', aggregation: 'count' })
      await billing.plans.create({
        code: 'p',
        name: 'P',
        currency: 'NGN',
        interval: 'month',
        charges: [{ meter: 'calls', model: 'per_unit', unit_amount: '50' }],
      })
      await billing.customers.create({ id: 'cus_old' })
      await billing.subscriptions.create({ customer_id: 'cus_old', plan_code: 'p', start_at: JAN })
      now = Date.UTC(2027, 1, 1, 2)
      const { finalized } = await billing.invoices.run()
      const february = finalized.find((i) => i.billing_reason === 'subscription_cycle')
      expect(february?.total).toBe(500)
      expect(await billing.payments.list({ customer_id: 'cus_old' })).toMatchObject({ data: [] })
    } finally {
      await billing.close()
    }
  })
})
