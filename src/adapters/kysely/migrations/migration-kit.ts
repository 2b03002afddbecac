import { type CreateTableBuilder, type Kysely, type SchemaModule, sql } from 'kysely'
import type { DdlQuirks, DialectQuirks } from '../dialect-quirks.js'

/** One of kobometer's migrations: the name its store records, and its change for one dialect. */
export interface KobometerMigration {
  /**
   * Recorded in `kobometer_migration` once applied, and applied in name order: a published name
   * never changes, or every existing store would run the migration again.
   */
  readonly name: string
  up(db: Kysely<unknown>, quirks: DialectQuirks): Promise<void>
}

/**
 * A table of the store in raw SQL, qualified by the store's schema where it has one (PostgreSQL).
 *
 * @example
 * await sql`SELECT doc FROM ${tableOf(ddl, TABLE.invoices)}`.execute(db)
 */
export function tableOf(ddl: DdlQuirks, name: string) {
  return sql.table(ddl.schema === null ? name : `${ddl.schema}.${name}`)
}

/**
 * The schema builder in the dialect's schema (PostgreSQL) or the connection's default.
 *
 * @example
 * await schemaOf(db, quirks.ddl).createIndex('ix').on('t').column('c').execute()
 */
export function schemaOf(db: Kysely<unknown>, ddl: DdlQuirks): SchemaModule {
  return ddl.schema === null ? db.schema : db.schema.withSchema(ddl.schema)
}

/**
 * Runs a CREATE TABLE with the dialect's table options; `clustered` tables are stored in
 * primary-key order (SQLite `WITHOUT ROWID`), which suits small rows read and upserted by key.
 *
 * @example
 * await createTable(schemaOf(db, ddl).createTable('t').addColumn('id', ddl.key), ddl, false)
 */
export async function createTable<N extends string, C extends string>(
  builder: CreateTableBuilder<N, C>,
  ddl: DdlQuirks,
  clustered: boolean,
): Promise<void> {
  const suffix = ddl.tableSuffix(clustered)
  await (suffix === null ? builder : builder.modifyEnd(suffix)).execute()
}

/**
 * Drops an index of `table`: MySQL/MariaDB name indexes per table (`DROP INDEX … ON table`), the
 * others per schema.
 *
 * @example
 * await dropIndex(db, quirks, BILLING_INDEX.invoicesStatus, TABLE.invoices)
 */
export async function dropIndex(
  db: Kysely<unknown>,
  quirks: DialectQuirks,
  name: string,
  table: string,
): Promise<void> {
  const drop = schemaOf(db, quirks.ddl).dropIndex(name)
  await (quirks.dialect === 'mysql' ? drop.on(table) : drop).execute()
}
