import type { Kysely } from 'kysely'
import type { DialectQuirks } from '../dialect-quirks.js'
import { NOTIFICATION_INDEX, TABLE } from '../schema.js'
import { convertToNoPad } from './0004-no-pad-collation.js'
import { createTable, dropIndex, type KobometerMigration, schemaOf } from './migration-kit.js'

async function createAlertSchema(db: Kysely<unknown>, quirks: DialectQuirks): Promise<void> {
  const ddl = quirks.ddl
  await createTable(
    schemaOf(db, ddl)
      .createTable(TABLE.alerts)
      .ifNotExists()
      .addColumn('id', ddl.key, (c) => c.primaryKey())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('swept_at', 'bigint')
      .addColumn('doc', ddl.text, (c) => c.notNull()),
    ddl,
    false,
  )
  await convertToNoPad(db, quirks, [TABLE.alerts])
  // The delivery order check looks for a customer's earlier notifications not yet delivered: with
  // the status in the index it reads those alone, not every one ever delivered to the customer.
  const schema = schemaOf(db, ddl)
  await schema
    .createIndex(NOTIFICATION_INDEX.deliveriesUndelivered)
    .on(TABLE.notificationDeliveries)
    .columns(['destination', 'customer_id', 'status', 'seq'])
    .execute()
  await dropIndex(db, quirks, NOTIFICATION_INDEX.deliveriesCustomer, TABLE.notificationDeliveries)
}

/**
 * Migration `0008_alerts`: alert definitions (a meter, who they cover, their thresholds; what has
 * fired is kept on the allowances the alerts watch and in the outbox), and the delivery order
 * check's index with the status in it.
 *
 * @example
 * await alertsMigration.up(db, sqliteQuirks)
 */
export const alertsMigration: KobometerMigration = Object.freeze({
  name: '0008_alerts',
  up: createAlertSchema,
})
