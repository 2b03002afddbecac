import Database from 'better-sqlite3'
import { Kysely, Migrator, MysqlDialect, PostgresDialect, SqliteDialect, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DialectQuirks } from '../../src/adapters/kysely/dialect-quirks.js'
import { kobometerMigrations } from '../../src/adapters/kysely/migrations/index.js'
import { tableOf } from '../../src/adapters/kysely/migrations/migration-kit.js'
import { mysqlQuirks } from '../../src/adapters/kysely/mysql/mysql-quirks.js'
import { postgresQuirks } from '../../src/adapters/kysely/postgres/postgres-quirks.js'
import { TABLE } from '../../src/adapters/kysely/schema.js'
import { sqliteQuirks } from '../../src/adapters/kysely/sqlite/sqlite-quirks.js'
import { type StoreConfig, sqlTargets } from './targets.js'

/** A bare kysely connection to a store, as the first release's migrator saw it. */
export async function connect(config: StoreConfig): Promise<{ db: Kysely<unknown>; quirks: DialectQuirks }> {
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

/** Brings a store to the first `count` migrations only, as an older release left it. */
export async function migrateFirst(db: Kysely<unknown>, quirks: DialectQuirks, count: number): Promise<void> {
  const all = kobometerMigrations(quirks)
  const older = Object.fromEntries(Object.entries(all).slice(0, count))
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => older },
    migrationTableName: TABLE.migration,
    migrationLockTableName: TABLE.migrationLock,
    ...(quirks.ddl.schema === null ? {} : { migrationTableSchema: quirks.ddl.schema }),
  })
  expect((await migrator.migrateToLatest()).error).toBeUndefined()
}

export const table = (quirks: DialectQuirks, name: string) => tableOf(quirks.ddl, name)

/**
 * One `describe` per SQL target (skipped with its reason where the database is not configured),
 * each on a fresh store, with one test: `body` seeds an older store and checks the upgrade.
 *
 * @example
 * onEachSqlTarget('upgrading a 0003 store', 'keeps its events', async (config) => { … })
 */
export function onEachSqlTarget(
  title: string,
  test: string,
  body: (config: StoreConfig) => Promise<void>,
): void {
  for (const target of sqlTargets) {
    describe.skipIf(target.skip)(
      `${title} on ${target.name}${target.skip ? ` (skipped: ${target.skip})` : ''}`,
      () => {
        let config: StoreConfig
        let destroy: () => Promise<void>
        beforeAll(async () => {
          ;({ config, destroy } = await target.fresh())
        }, 60_000)
        afterAll(() => destroy?.(), 60_000)
        it(test, () => body(config), 120_000)
      },
    )
  }
}

/** Writes invoices as the releases before the summary columns stored them: key columns and the document. */
export async function insertOlderInvoices(
  db: Kysely<unknown>,
  quirks: DialectQuirks,
  invoices: ReadonlyArray<{
    id: string
    subscription_id: string
    period_end: string
    customer_id: string
    status: string
  }>,
): Promise<void> {
  for (const i of invoices)
    await sql`insert into ${table(quirks, TABLE.invoices)} (id, subscription_id, period_end, customer_id, status, doc)
      values (${i.id}, ${i.subscription_id}, ${i.period_end}, ${i.customer_id}, ${i.status}, ${JSON.stringify(i)})`.execute(
      db,
    )
}
