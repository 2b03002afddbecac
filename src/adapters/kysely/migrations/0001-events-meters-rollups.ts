import { type Kysely, sql } from 'kysely'
import type { DialectQuirks } from '../dialect-quirks.js'
import { EVENTS_BY_CUSTOMER_INDEX, TABLE } from '../schema.js'
import { createTable, type KobometerMigration, schemaOf, tableOf } from './migration-kit.js'

async function createInitialSchema(db: Kysely<unknown>, quirks: DialectQuirks): Promise<void> {
  const ddl = quirks.ddl
  const schema = schemaOf(db, ddl)

  // The event log: append-friendly. One secondary index only, for per-customer reads; the unique
  // key is the idempotency guarantee itself.
  let events = schema
    .createTable(TABLE.events)
    .ifNotExists()
    .addColumn('seq', ddl.seqType, ddl.seq)
    .addColumn('idempotency_key', ddl.key, (c) => c.notNull().unique())
    .addColumn('customer_id', ddl.key, (c) => c.notNull())
    .addColumn('event_name', ddl.code, (c) => c.notNull())
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addColumn('properties', ddl.text, (c) => c.notNull())
    .addColumn('payload_hash', ddl.short, (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
  if (quirks.insertedRows === 'batch-token') events = events.addColumn('batch_token', 'bigint')
  await createTable(events, ddl, false)
  await schema
    .createIndex(EVENTS_BY_CUSTOMER_INDEX)
    .on(TABLE.events)
    .columns(['customer_id', 'timestamp', 'seq'])
    .execute()

  await createTable(
    schema
      .createTable(TABLE.meters)
      .ifNotExists()
      .addColumn('code', ddl.code, (c) => c.primaryKey())
      .addColumn('definition', ddl.text, (c) => c.notNull())
      .addColumn('created_at', ddl.short, (c) => c.notNull())
      .addColumn('creation_order', 'bigint', (c) => c.notNull()),
    ddl,
    false,
  )

  // One row: the meters' version, and the lock object between appends and meter creation.
  await createTable(
    schema
      .createTable(TABLE.state)
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('meters_version', 'bigint', (c) => c.notNull()),
    ddl,
    false,
  )
  await sql`insert into ${tableOf(ddl, TABLE.state)} (id, meters_version) values (1, 0)`.execute(db)

  await createTable(
    schema
      .createTable(TABLE.rollups)
      .ifNotExists()
      .addColumn('meter', ddl.code, (c) => c.notNull())
      .addColumn('customer_id', ddl.key, (c) => c.notNull())
      .addColumn('bucket', 'bigint', (c) => c.notNull())
      .addColumn('count', 'bigint', (c) => c.notNull())
      .addColumn('sum', ddl.decimal)
      .addColumn('min', ddl.decimal)
      .addColumn('max', ddl.decimal)
      .addColumn('latest_ts', 'bigint')
      .addColumn('latest_key', ddl.key)
      .addColumn('latest_value', ddl.decimal)
      .addPrimaryKeyConstraint(`${TABLE.rollups}_pk`, ['meter', 'customer_id', 'bucket']),
    ddl,
    true,
  )
  await createTable(
    schema
      .createTable(TABLE.rollupValues)
      .ifNotExists()
      .addColumn('meter', ddl.code, (c) => c.notNull())
      .addColumn('customer_id', ddl.key, (c) => c.notNull())
      .addColumn('bucket', 'bigint', (c) => c.notNull())
      .addColumn('value', ddl.key, (c) => c.notNull())
      .addPrimaryKeyConstraint(`${TABLE.rollupValues}_pk`, ['meter', 'customer_id', 'bucket', 'value']),
    ddl,
    true,
  )
}

/**
 * Migration `0001_events_meters_rollups`, the first release's schema: the event log, meters, the
 * state row (meters version and lock), rollups and unique-count values.
 *
 * @example
 * await eventsMetersRollupsMigration.up(db, sqliteQuirks)
 */
export const eventsMetersRollupsMigration: KobometerMigration = Object.freeze({
  name: '0001_events_meters_rollups',
  up: createInitialSchema,
})
