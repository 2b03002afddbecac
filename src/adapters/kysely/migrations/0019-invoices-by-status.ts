import type { Kysely } from 'kysely'
import type { DialectQuirks } from '../dialect-quirks.js'
import { BILLING_INDEX, TABLE } from '../schema.js'
import { dropIndex, type KobometerMigration, schemaOf } from './migration-kit.js'

async function indexStatusById(db: Kysely<unknown>, quirks: DialectQuirks): Promise<void> {
  const schema = schemaOf(db, quirks.ddl)
  await schema
    .createIndex(BILLING_INDEX.invoicesStatusId)
    .on(TABLE.invoices)
    .columns(['status', 'id'])
    .execute()
  await dropIndex(db, quirks, BILLING_INDEX.invoicesStatus, TABLE.invoices)
}

/**
 * Migration `0019_invoices_by_status`: invoices are indexed by (status, id) instead of status
 * alone. Pages of one status (`invoices.run`'s drafts, `tick`'s open invoices) are read in id
 * order straight from the index. With the status alone, SQLite read and sorted every invoice of
 * that status for each page, so walking `n` open invoices cost O(n²) (100,000: 16 s, now 0.45 s).
 *
 * @example
 * await invoicesByStatusMigration.up(db, sqliteQuirks)
 */
export const invoicesByStatusMigration: KobometerMigration = Object.freeze({
  name: '0019_invoices_by_status',
  up: indexStatusById,
})
