import { type Kysely, sql } from 'kysely'
import { customerSearchText } from '../../../core/customers/search-text.js'
import type { Customer } from '../../../core/customers/types.js'
import { allowanceFill } from '../../../core/entitlements/allowance-fill.js'
import type { Invoice } from '../../../core/invoices/types.js'
import type { AllowanceRecord } from '../../../core/ports/index.js'
import type { DialectQuirks } from '../dialect-quirks.js'
import { invoiceSummary } from '../invoice-summary.js'
import { DASHBOARD_INDEX, TABLE } from '../schema.js'
import { type KobometerMigration, schemaOf, tableOf } from './migration-kit.js'

type DocRow = { doc: string }

async function addDashboardColumns(db: Kysely<unknown>, quirks: DialectQuirks): Promise<void> {
  const ddl = quirks.ddl
  const schema = schemaOf(db, ddl)

  await schema.alterTable(TABLE.allowances).addColumn('fill', 'double precision').execute()
  await schema.alterTable(TABLE.customers).addColumn('search', ddl.text).execute()
  // One column per ALTER: SQLite adds no more at a time.
  await schema.alterTable(TABLE.invoices).addColumn('finalized_at', 'bigint').execute()
  await schema.alterTable(TABLE.invoices).addColumn('currency', ddl.short).execute()
  await schema.alterTable(TABLE.invoices).addColumn('total', 'bigint').execute()

  // Backfill from the documents, row by row: written the way the stores write them from now on.
  const allowances = await sql<DocRow>`SELECT doc FROM ${tableOf(ddl, TABLE.allowances)}`.execute(db)
  for (const { doc } of allowances.rows) {
    const a = JSON.parse(doc) as AllowanceRecord
    await sql`UPDATE ${tableOf(ddl, TABLE.allowances)} SET fill = ${allowanceFill(a)}
      WHERE customer_id = ${a.customer_id} AND meter = ${a.meter} AND period_start = ${a.period_start}`.execute(
      db,
    )
  }
  const customers = await sql<DocRow>`SELECT doc FROM ${tableOf(ddl, TABLE.customers)}`.execute(db)
  for (const { doc } of customers.rows) {
    const c = JSON.parse(doc) as Customer
    await sql`UPDATE ${tableOf(ddl, TABLE.customers)} SET search = ${customerSearchText(c)} WHERE id = ${c.id}`.execute(
      db,
    )
  }
  const invoices = await sql<DocRow>`SELECT doc FROM ${tableOf(ddl, TABLE.invoices)}`.execute(db)
  for (const { doc } of invoices.rows) {
    const i = JSON.parse(doc) as Invoice
    // Only the columns this migration adds: the due column comes with 0013.
    const [finalizedAt, currency, total] = invoiceSummary(i)
    await sql`UPDATE ${tableOf(ddl, TABLE.invoices)} SET finalized_at = ${finalizedAt}, currency = ${currency},
      total = ${total} WHERE id = ${i.id}`.execute(db)
  }

  // The current periods' allowances (period_end past now) are few next to all periods ever kept.
  await schema
    .createIndex(DASHBOARD_INDEX.allowancesFill)
    .on(TABLE.allowances)
    .columns(['period_end', 'fill'])
    .execute()
  await schema
    .createIndex(DASHBOARD_INDEX.invoicesFinalized)
    .on(TABLE.invoices)
    .columns(['finalized_at'])
    .execute()
}

/**
 * Migration `0010_dashboard_queries`: columns the dashboard's queries filter on, kept beside the
 * documents and written in the same statements: an allowance's fill, a customer's lower-cased
 * search text, a finalized invoice's time, currency and total; backfilled from stored documents.
 *
 * @example
 * await dashboardQueriesMigration.up(db, sqliteQuirks)
 */
export const dashboardQueriesMigration: KobometerMigration = Object.freeze({
  name: '0010_dashboard_queries',
  up: addDashboardColumns,
})
