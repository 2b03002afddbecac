import type { CreateTableBuilder, Kysely } from 'kysely'
import type { DialectQuirks } from '../dialect-quirks.js'
import { PAYMENT_INDEX, TABLE } from '../schema.js'

/**
 * Migration `0003_payments`: payment methods and payment attempts, as JSON documents with the
 * columns a statement filters or compares-and-sets on broken out. The unique `reference` is what
 * makes payment creation idempotent across processes.
 *
 * @example
 * const migration = { up: (db) => createPaymentSchema(db, sqliteQuirks) }
 */
export async function createPaymentSchema(db: Kysely<unknown>, quirks: DialectQuirks): Promise<void> {
  const ddl = quirks.ddl
  const schema = ddl.schema === null ? db.schema : db.schema.withSchema(ddl.schema)
  const finish = <N extends string, C extends string>(builder: CreateTableBuilder<N, C>) => {
    const suffix = ddl.tableSuffix(false)
    return (suffix === null ? builder : builder.modifyEnd(suffix)).execute()
  }

  await finish(
    schema
      .createTable(TABLE.paymentMethods)
      .ifNotExists()
      .addColumn('id', ddl.key, (c) => c.primaryKey())
      .addColumn('customer_id', ddl.key, (c) => c.notNull())
      .addColumn('doc', ddl.text, (c) => c.notNull()),
  )
  await schema
    .createIndex(PAYMENT_INDEX.methodsCustomer)
    .on(TABLE.paymentMethods)
    .column('customer_id')
    .execute()

  // `revision` is the compare-and-set column.
  await finish(
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
  )
  await schema.createIndex(PAYMENT_INDEX.paymentsInvoice).on(TABLE.payments).column('invoice_id').execute()
  await schema.createIndex(PAYMENT_INDEX.paymentsCustomer).on(TABLE.payments).column('customer_id').execute()
}
