import { type Kysely, sql } from 'kysely'
import type { Invoice } from '../../../core/invoices/types.js'
import type { DialectQuirks } from '../dialect-quirks.js'
import { invoiceSummary } from '../invoice-summary.js'
import { DASHBOARD_INDEX, TABLE } from '../schema.js'
import { type KobometerMigration, schemaOf, tableOf } from './migration-kit.js'

async function addOpenDueColumn(db: Kysely<unknown>, quirks: DialectQuirks): Promise<void> {
  const ddl = quirks.ddl
  const schema = schemaOf(db, ddl)
  const table = tableOf(ddl, TABLE.invoices)
  await schema.alterTable(TABLE.invoices).addColumn('open_due_at', 'bigint').execute()
  // Only open invoices have the column set: backfill those, as the stores write it from now on.
  const open = await sql<{ doc: string }>`SELECT doc FROM ${table} WHERE status = 'open'`.execute(db)
  for (const { doc } of open.rows) {
    const invoice = JSON.parse(doc) as Invoice
    const openDueAt = invoiceSummary(invoice)[3]
    await sql`UPDATE ${table} SET open_due_at = ${openDueAt} WHERE id = ${invoice.id}`.execute(db)
  }
  await schema
    .createIndex(DASHBOARD_INDEX.invoicesOpenDue)
    .on(TABLE.invoices)
    .columns(['open_due_at'])
    .execute()
}

/**
 * Migration `0013_invoice_due`: an open invoice's due time beside its document (null once it is
 * paid, void or uncollectible, and for drafts), indexed, so past-due invoices are found without
 * reading every open one; backfilled from stored documents.
 *
 * @example
 * await invoiceDueMigration.up(db, sqliteQuirks)
 */
export const invoiceDueMigration: KobometerMigration = Object.freeze({
  name: '0013_invoice_due',
  up: addOpenDueColumn,
})
