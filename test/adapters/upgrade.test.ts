import Database from 'better-sqlite3'
import { Kysely, Migrator, MysqlDialect, PostgresDialect, SqliteDialect, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DialectQuirks } from '../../src/adapters/kysely/dialect-quirks.js'
import { kobometerMigrations } from '../../src/adapters/kysely/migrations.js'
import { mysqlQuirks } from '../../src/adapters/kysely/mysql-quirks.js'
import { postgresQuirks } from '../../src/adapters/kysely/postgres-quirks.js'
import { TABLE } from '../../src/adapters/kysely/schema.js'
import { sqliteQuirks } from '../../src/adapters/kysely/sqlite-quirks.js'
import { createBilling } from '../../src/index.js'
import { openStorage, type StoreConfig, sqlTargets } from '../support/targets.js'

/** A bare kysely connection to a store, as the first release's migrator saw it. */
async function connect(config: StoreConfig): Promise<{ db: Kysely<unknown>; quirks: DialectQuirks }> {
  if (config.kind === 'sqlite') {
    return {
      db: new Kysely({ dialect: new SqliteDialect({ database: new Database(config.filename) }) }),
      quirks: sqliteQuirks,
    }
  }
  if (config.kind === 'postgres') {
    const { default: pg } = await import('pg')
    const pool = new pg.Pool({ connectionString: config.connectionString, max: 1 })
    return {
      db: new Kysely({ dialect: new PostgresDialect({ pool }) }),
      quirks: postgresQuirks(config.schema),
    }
  }
  if (config.kind === 'mysql') {
    const mysql = await import('mysql2')
    return {
      db: new Kysely({ dialect: new MysqlDialect({ pool: mysql.createPool(config.uri) }) }),
      quirks: mysqlQuirks,
    }
  }
  throw new Error(`no SQL store: ${config.kind}`)
}

// A store made by the first release (migration 0001 only, events in it) is upgraded in place by
// createBilling: the billing and payment tables are added, nothing stored is lost.
for (const target of sqlTargets) {
  describe.skipIf(target.skip)(
    `upgrading a 0001 store on ${target.name}${target.skip ? ` (skipped: ${target.skip})` : ''}`,
    () => {
      let config: StoreConfig
      let destroy: () => Promise<void>
      beforeAll(async () => {
        ;({ config, destroy } = await target.fresh())
      }, 60_000)
      afterAll(() => destroy?.(), 60_000)

      it('migrates to the latest schema with its events intact and bills them', async () => {
        const { db, quirks } = await connect(config)
        const all = kobometerMigrations(quirks)
        const first = Object.keys(all)[0]!
        const migrator = new Migrator({
          db,
          provider: { getMigrations: async () => ({ [first]: all[first]! }) },
          migrationTableName: TABLE.migration,
          migrationLockTableName: TABLE.migrationLock,
          ...(quirks.ddl.schema === null ? {} : { migrationTableSchema: quirks.ddl.schema }),
        })
        expect((await migrator.migrateToLatest()).error).toBeUndefined()
        const events = quirks.ddl.schema === null ? TABLE.events : `${quirks.ddl.schema}.${TABLE.events}`
        const JAN = Date.UTC(2027, 0, 1)
        for (let i = 0; i < 10; i++) {
          await sql`insert into ${sql.table(events)} (idempotency_key, customer_id, event_name, timestamp, properties, payload_hash, received_at)
          values (${`old_${i}`}, ${'cus_old'}, ${'api_call'}, ${JAN + i * 3_600_000}, ${'{}'}, ${`h${i}`}, ${JAN})`.execute(
            db,
          )
        }
        await db.destroy()

        let now = JAN
        const billing = await createBilling({ storage: await openStorage(config), clock: () => now })
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
          expect(finalized.find((i) => i.billing_reason === 'subscription_cycle')?.total).toBe(500)
          expect(await billing.payments.list({ customer_id: 'cus_old' })).toMatchObject({ data: [] })
        } finally {
          await billing.close()
        }
      }, 120_000)
    },
  )
}
