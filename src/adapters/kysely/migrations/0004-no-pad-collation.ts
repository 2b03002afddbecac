import { type Kysely, sql } from 'kysely'
import { BillingError, ErrorCode } from '../../../core/errors.js'
import type { DialectQuirks } from '../dialect-quirks.js'
import { TABLE } from '../schema.js'
import type { KobometerMigration } from './migration-kit.js'

/** Binary NO PAD collations, preferred first: MariaDB ≥ 10.2 and MySQL ≥ 8.0.17 each have one. */
export const NO_PAD_BINARY_COLLATIONS = Object.freeze(['utf8mb4_nopad_bin', 'utf8mb4_0900_bin'])

/** Every table kobometer's migrations 0001–0003 create (the migrator's own tables excluded). */
const DATA_TABLES = [
  TABLE.events,
  TABLE.meters,
  TABLE.state,
  TABLE.rollups,
  TABLE.rollupValues,
  TABLE.customers,
  TABLE.plans,
  TABLE.subscriptions,
  TABLE.invoices,
  TABLE.sequences,
  TABLE.closedPeriods,
  TABLE.paymentMethods,
  TABLE.payments,
]

/**
 * The server's binary NO PAD collation for utf8mb4.
 *
 * @example
 * await noPadBinaryCollation(db) // 'utf8mb4_nopad_bin' on MariaDB, 'utf8mb4_0900_bin' on MySQL 8
 */
export async function noPadBinaryCollation(db: Kysely<unknown>): Promise<string> {
  const { rows } = await sql<{
    name: string
  }>`SELECT COLLATION_NAME AS name FROM information_schema.COLLATIONS
    WHERE COLLATION_NAME IN (${sql.join(NO_PAD_BINARY_COLLATIONS)})`.execute(db)
  const found = new Set(rows.map((row) => row.name))
  const collation = NO_PAD_BINARY_COLLATIONS.find((name) => found.has(name))
  if (collation === undefined)
    throw new BillingError(
      ErrorCode.STORAGE_ERROR,
      'this MySQL/MariaDB server has no binary NO PAD collation: kobometer needs MySQL 8.0.17+ or MariaDB 10.6+',
    )
  return collation
}

/**
 * On MySQL/MariaDB, converts the given tables in place to the server's binary NO PAD collation (so
 * `'k1'` and `'k1 '` are different keys); elsewhere does nothing. Every migration that creates a
 * table calls it for its tables.
 *
 * @example
 * await convertToNoPad(db, quirks, [TABLE.allowances])
 */
export async function convertToNoPad(
  db: Kysely<unknown>,
  quirks: DialectQuirks,
  tables: readonly string[],
): Promise<void> {
  if (quirks.dialect !== 'mysql') return
  const collation = await noPadBinaryCollation(db)
  for (const table of tables)
    await sql`ALTER TABLE ${sql.table(table)} CONVERT TO CHARACTER SET utf8mb4 COLLATE ${sql.raw(collation)}`.execute(
      db,
    )
}

function convertToNoPadCollation(db: Kysely<unknown>, quirks: DialectQuirks): Promise<void> {
  return convertToNoPad(db, quirks, DATA_TABLES)
}

/**
 * Migration `0004_no_pad_collation`. MySQL's `utf8mb4_bin` is PAD SPACE: `'k1'` and `'k1 '` compare
 * equal, so a retried key with a trailing space was taken for a duplicate and a customer `'acme '`
 * read `'acme'`'s events. Every kobometer table is converted, in place, to a binary NO PAD
 * collation, which compares byte for byte. Nothing to do on SQLite (BINARY) and PostgreSQL
 * (`COLLATE "C"`, no padding).
 *
 * @example
 * await noPadCollationMigration.up(db, mysqlQuirks)
 */
export const noPadCollationMigration: KobometerMigration = Object.freeze({
  name: '0004_no_pad_collation',
  up: convertToNoPadCollation,
})
