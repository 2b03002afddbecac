import type { Kysely } from 'kysely'
import type { DialectQuirks } from '../dialect-quirks.js'
import { NOTIFICATION_INDEX, TABLE } from '../schema.js'
import { convertToNoPad } from './0004-no-pad-collation.js'
import { createTable, type KobometerMigration, schemaOf } from './migration-kit.js'

async function createNotificationSchema(db: Kysely<unknown>, quirks: DialectQuirks): Promise<void> {
  const ddl = quirks.ddl
  const schema = schemaOf(db, ddl)

  // `seq` is the storage order that lists and per-customer delivery order follow; the unique `key`
  // is what makes a writer's notification exactly once.
  await createTable(
    schema
      .createTable(TABLE.notifications)
      .ifNotExists()
      .addColumn('seq', ddl.seqType, ddl.seq)
      .addColumn('id', ddl.key, (c) => c.notNull())
      .addColumn('notification_key', ddl.key, (c) => c.notNull())
      .addColumn('type', ddl.code, (c) => c.notNull())
      .addColumn('customer_id', ddl.key)
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('doc', ddl.text, (c) => c.notNull())
      .addUniqueConstraint(NOTIFICATION_INDEX.notificationsKey, ['notification_key']),
    ddl,
    false,
  )
  // Not unique: writers derive the id from the key, and on PostgreSQL a second unique index would
  // make two processes adding one key at once fail instead of skipping (ON CONFLICT has one arbiter).
  await schema.createIndex(NOTIFICATION_INDEX.notificationsId).on(TABLE.notifications).column('id').execute()
  // One row per (notification, destination), written the first time a destination claims it; it
  // carries the notification's customer and seq so the order check reads this table alone.
  await createTable(
    schema
      .createTable(TABLE.notificationDeliveries)
      .ifNotExists()
      .addColumn('notification_id', ddl.key, (c) => c.notNull())
      .addColumn('destination', ddl.key, (c) => c.notNull())
      .addColumn('customer_id', ddl.key)
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('status', ddl.short, (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'bigint')
      .addColumn('lease_until', 'bigint')
      .addColumn('last_error', ddl.text)
      .addPrimaryKeyConstraint('kobometer_notification_deliveries_pk', ['notification_id', 'destination']),
    ddl,
    true,
  )
  await schema
    .createIndex(NOTIFICATION_INDEX.deliveriesDue)
    .on(TABLE.notificationDeliveries)
    .columns(['destination', 'status', 'seq'])
    .execute()
  await schema
    .createIndex(NOTIFICATION_INDEX.deliveriesCustomer)
    .on(TABLE.notificationDeliveries)
    .columns(['destination', 'customer_id', 'seq'])
    .execute()

  await convertToNoPad(db, quirks, [TABLE.notifications, TABLE.notificationDeliveries])
}

/**
 * Migration `0007_notifications`: the outbox (notifications in storage order, once per key) and
 * their delivery state at each destination (status, attempts, retry time, lease, last error).
 *
 * @example
 * await notificationsMigration.up(db, sqliteQuirks)
 */
export const notificationsMigration: KobometerMigration = Object.freeze({
  name: '0007_notifications',
  up: createNotificationSchema,
})
