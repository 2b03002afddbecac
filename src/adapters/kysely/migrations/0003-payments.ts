import type { Kysely } from 'kysely'
import type { DialectQuirks } from '../dialect-quirks.js'
import { PAYMENT_INDEX, TABLE } from '../schema.js'
import { createTable, type KobometerMigration, schemaOf } from './migration-kit.js'

async function createPaymentSchema(db: Kysely<unknown>, quirks: DialectQuirks): Promise<void> {
  const ddl = quirks.ddl
  const schema = schemaOf(db, ddl)

  await createTable(
    schema
      .createTable(TABLE.paymentMethods)
      .ifNotExists()
      .addColumn('id', ddl.key, (c) => c.primaryKey())
      .addColumn('customer_id', ddl.key, (c) => c.notNull())
      .addColumn('doc', ddl.text, (c) => c.notNull()),
    ddl,
    false,
  )
  await schema
    .createIndex(PAYMENT_INDEX.methodsCustomer)
    .on(TABLE.paymentMethods)
    .column('customer_id')
    .execute()

  // `revision` is the compare-and-set column.
  await createTable(
    schema
      .createTable(TABLE.payments)
      .ifNotExists()
      .addColumn('id', ddl.key, (c) => c.primaryKey())
      .addColumn('reference', ddl.key, (c) => c.notNull())
      .addColumn('invoice_id', ddl.key, (c) => c.notNull())
      .addColumn('customer_id', ddl.key, (c) => c.notNull())
      .addColumn('revision', 'bigint', (c) => c.notNull())
      .addColumn('doc', ddl.text, (c) => c.notNull())
      .addUniqueConstraint(PAYMENT_INDEX.paymentsReference, ['reference']),
    ddl,
    false,
  )
  await schema.createIndex(PAYMENT_INDEX.paymentsInvoice).on(TABLE.payments).column('invoice_id').execute()
  await schema.createIndex(PAYMENT_INDEX.paymentsCustomer).on(TABLE.payments).column('customer_id').execute()
}

/**
 * Migration `0003_payments`: payment methods and payment attempts, as JSON documents with the
 * columns a statement filters or compares-and-sets on broken out. The unique `reference` is what
 * makes payment creation idempotent across processes.
 *
 * @example
 * await paymentsMigration.up(db, sqliteQuirks)
 */
export const paymentsMigration: KobometerMigration = Object.freeze({
  name: '0003_payments',
  up: createPaymentSchema,
})
