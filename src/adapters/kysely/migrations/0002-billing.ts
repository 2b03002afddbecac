import type { Kysely } from 'kysely'
import type { DialectQuirks } from '../dialect-quirks.js'
import { BILLING_INDEX, TABLE } from '../schema.js'
import { createTable, type KobometerMigration, schemaOf } from './migration-kit.js'

// Documents are large rows: clustered (SQLite `WITHOUT ROWID`) only for the two small tables.
async function createBillingSchema(db: Kysely<unknown>, quirks: DialectQuirks): Promise<void> {
  const ddl = quirks.ddl
  const schema = schemaOf(db, ddl)

  await createTable(
    schema
      .createTable(TABLE.customers)
      .ifNotExists()
      .addColumn('id', ddl.key, (c) => c.primaryKey())
      .addColumn('doc', ddl.text, (c) => c.notNull()),
    ddl,
    false,
  )

  await createTable(
    schema
      .createTable(TABLE.plans)
      .ifNotExists()
      .addColumn('code', ddl.code, (c) => c.notNull())
      .addColumn('version', 'bigint', (c) => c.notNull())
      .addColumn('doc', ddl.text, (c) => c.notNull())
      .addPrimaryKeyConstraint(`${TABLE.plans}_pk`, ['code', 'version']),
    ddl,
    false,
  )

  // `revision` is the compare-and-set column; `next_invoice_at` finds what is due.
  await createTable(
    schema
      .createTable(TABLE.subscriptions)
      .ifNotExists()
      .addColumn('id', ddl.key, (c) => c.primaryKey())
      .addColumn('customer_id', ddl.key, (c) => c.notNull())
      .addColumn('next_invoice_at', 'bigint')
      .addColumn('revision', 'bigint', (c) => c.notNull())
      .addColumn('doc', ddl.text, (c) => c.notNull()),
    ddl,
    false,
  )
  await schema
    .createIndex(BILLING_INDEX.subscriptionsDue)
    .on(TABLE.subscriptions)
    .column('next_invoice_at')
    .execute()
  await schema
    .createIndex(BILLING_INDEX.subscriptionsCustomer)
    .on(TABLE.subscriptions)
    .column('customer_id')
    .execute()

  // The unique (subscription_id, period_end) is what makes invoice creation idempotent.
  await createTable(
    schema
      .createTable(TABLE.invoices)
      .ifNotExists()
      .addColumn('id', ddl.key, (c) => c.primaryKey())
      .addColumn('subscription_id', ddl.key, (c) => c.notNull())
      .addColumn('period_end', ddl.short, (c) => c.notNull())
      .addColumn('customer_id', ddl.key, (c) => c.notNull())
      .addColumn('status', ddl.short, (c) => c.notNull())
      .addColumn('doc', ddl.text, (c) => c.notNull())
      .addUniqueConstraint(BILLING_INDEX.invoicesPeriod, ['subscription_id', 'period_end']),
    ddl,
    false,
  )
  await schema.createIndex(BILLING_INDEX.invoicesCustomer).on(TABLE.invoices).column('customer_id').execute()
  await schema.createIndex(BILLING_INDEX.invoicesStatus).on(TABLE.invoices).column('status').execute()

  await createTable(
    schema
      .createTable(TABLE.sequences)
      .ifNotExists()
      .addColumn('name', ddl.key, (c) => c.primaryKey())
      .addColumn('value', 'bigint', (c) => c.notNull()),
    ddl,
    true,
  )

  // One row per closed customer, plus the horizon row (customer_id '') holding the highest mark.
  await createTable(
    schema
      .createTable(TABLE.closedPeriods)
      .ifNotExists()
      .addColumn('customer_id', ddl.key, (c) => c.primaryKey())
      .addColumn('closed_before', 'bigint', (c) => c.notNull()),
    ddl,
    true,
  )
}

/**
 * Migration `0002_billing`: customers, plan versions, subscriptions, invoices, invoice-number
 * sequences and closed-usage marks. Documents are JSON text; only the columns a statement filters,
 * orders or compares-and-sets on are broken out, so the domain types can grow without migrations.
 *
 * @example
 * await billingMigration.up(db, sqliteQuirks)
 */
export const billingMigration: KobometerMigration = Object.freeze({
  name: '0002_billing',
  up: createBillingSchema,
})
