import { type CreateTableBuilder, type Kysely, type Migration, Migrator, sql } from 'kysely'
import type { DialectQuirks } from '../dialect-quirks.js'
import { EVENTS_BY_CUSTOMER_INDEX, TABLE } from '../schema.js'
import { createBillingSchema } from './0002-billing.js'
import { createPaymentSchema } from './0003-payments.js'
import { convertToNoPadCollation } from './0004-no-pad-collation.js'
import { rewriteUniqueValueKeys } from './0005-unique-value-keys.js'

async function createInitialSchema(db: Kysely<unknown>, quirks: DialectQuirks): Promise<void> {
  const ddl = quirks.ddl
  const schema = ddl.schema === null ? db.schema : db.schema.withSchema(ddl.schema)
  const finish = <N extends string, C extends string>(
    builder: CreateTableBuilder<N, C>,
    clustered: boolean,
  ) => {
    const suffix = ddl.tableSuffix(clustered)
    return (suffix === null ? builder : builder.modifyEnd(suffix)).execute()
  }

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
  await finish(events, false)
  await schema
    .createIndex(EVENTS_BY_CUSTOMER_INDEX)
    .on(TABLE.events)
    .columns(['customer_id', 'timestamp', 'seq'])
    .execute()

  await finish(
    schema
      .createTable(TABLE.meters)
      .ifNotExists()
      .addColumn('code', ddl.code, (c) => c.primaryKey())
      .addColumn('definition', ddl.text, (c) => c.notNull())
      .addColumn('created_at', ddl.short, (c) => c.notNull())
      .addColumn('creation_order', 'bigint', (c) => c.notNull()),
    false,
  )

  // One row: the meters' version, and the lock object between appends and meter creation.
  await finish(
    schema
      .createTable(TABLE.state)
      .ifNotExists()
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('meters_version', 'bigint', (c) => c.notNull()),
    false,
  )
  const state = ddl.schema === null ? TABLE.state : `${ddl.schema}.${TABLE.state}`
  await sql`insert into ${sql.table(state)} (id, meters_version) values (1, 0)`.execute(db)

  await finish(
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
    true,
  )
  await finish(
    schema
      .createTable(TABLE.rollupValues)
      .ifNotExists()
      .addColumn('meter', ddl.code, (c) => c.notNull())
      .addColumn('customer_id', ddl.key, (c) => c.notNull())
      .addColumn('bucket', 'bigint', (c) => c.notNull())
      .addColumn('value', ddl.key, (c) => c.notNull())
      .addPrimaryKeyConstraint(`${TABLE.rollupValues}_pk`, ['meter', 'customer_id', 'bucket', 'value']),
    true,
  )
}

/**
 * kobometer's migrations, in code, by name (applied in name order). Never edit a published one:
 * add the next.
 *
 * @example
 * const migrations = kobometerMigrations(sqliteQuirks)
 * Object.keys(migrations) // ['0001_events_meters_rollups', '0002_billing', '0003_payments', '0004_no_pad_collation', '0005_unique_value_keys']
 */
export function kobometerMigrations(quirks: DialectQuirks): Record<string, Migration> {
  return {
    '0001_events_meters_rollups': { up: (db: Kysely<unknown>) => createInitialSchema(db, quirks) },
    '0002_billing': { up: (db: Kysely<unknown>) => createBillingSchema(db, quirks) },
    '0003_payments': { up: (db: Kysely<unknown>) => createPaymentSchema(db, quirks) },
    '0004_no_pad_collation': { up: (db: Kysely<unknown>) => convertToNoPadCollation(db, quirks) },
    '0005_unique_value_keys': { up: (db: Kysely<unknown>) => rewriteUniqueValueKeys(db, quirks) },
  }
}

/**
 * Brings the schema to the latest migration with kysely's `Migrator`, in kobometer's own tables
 * (`kobometer_migration`, `kobometer_migration_lock`). Concurrent callers are serialized by the
 * migrator's lock (PostgreSQL advisory lock, MySQL `GET_LOCK`) or SQLite's write lock.
 *
 * @example
 * await migrateSchema(db, postgresQuirks('public'))
 */
export async function migrateSchema(db: Kysely<unknown>, quirks: DialectQuirks): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => kobometerMigrations(quirks) },
    migrationTableName: TABLE.migration,
    migrationLockTableName: TABLE.migrationLock,
    ...(quirks.ddl.schema === null ? {} : { migrationTableSchema: quirks.ddl.schema }),
  })
  const { error } = await migrator.migrateToLatest()
  if (error !== undefined) throw error
}
