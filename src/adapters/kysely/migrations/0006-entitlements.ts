import type { Kysely } from 'kysely'
import type { DialectQuirks } from '../dialect-quirks.js'
import { ENTITLEMENT_INDEX, TABLE } from '../schema.js'
import { convertToNoPad } from './0004-no-pad-collation.js'
import { createTable, type KobometerMigration, schemaOf } from './migration-kit.js'

async function createEntitlementSchema(db: Kysely<unknown>, quirks: DialectQuirks): Promise<void> {
  const ddl = quirks.ddl
  const schema = schemaOf(db, ddl)

  // One row per (customer, meter, period): the row appends lock to weigh an event against its limit.
  await createTable(
    schema
      .createTable(TABLE.allowances)
      .ifNotExists()
      .addColumn('customer_id', ddl.key, (c) => c.notNull())
      .addColumn('meter', ddl.code, (c) => c.notNull())
      .addColumn('period_start', 'bigint', (c) => c.notNull())
      .addColumn('period_end', 'bigint', (c) => c.notNull())
      .addColumn('next_expiry', 'bigint')
      .addColumn('doc', ddl.text, (c) => c.notNull())
      .addPrimaryKeyConstraint('kobometer_allowances_pk', ['customer_id', 'meter', 'period_start']),
    ddl,
    true,
  )
  await createTable(
    schema
      .createTable(TABLE.reservations)
      .ifNotExists()
      .addColumn('id', ddl.key, (c) => c.primaryKey())
      .addColumn('idempotency_key', ddl.key, (c) => c.notNull())
      .addColumn('customer_id', ddl.key, (c) => c.notNull())
      .addColumn('meter', ddl.code, (c) => c.notNull())
      .addColumn('period_start', 'bigint', (c) => c.notNull())
      .addColumn('status', ddl.short, (c) => c.notNull())
      .addColumn('doc', ddl.text, (c) => c.notNull())
      .addUniqueConstraint(ENTITLEMENT_INDEX.reservationsKey, ['idempotency_key']),
    ddl,
    false,
  )
  await schema
    .createIndex(ENTITLEMENT_INDEX.reservationsAllowance)
    .on(TABLE.reservations)
    .columns(['customer_id', 'meter', 'period_start', 'status'])
    .execute()
  // A meter listed here has open allowances: appends weigh its events. Read with the meters.
  await createTable(
    schema
      .createTable(TABLE.limitedMeters)
      .ifNotExists()
      .addColumn('meter', ddl.code, (c) => c.primaryKey()),
    ddl,
    true,
  )

  await convertToNoPad(db, quirks, [TABLE.allowances, TABLE.reservations, TABLE.limitedMeters])
}

/**
 * Migration `0006_entitlements`: allowances (a customer's limit of one meter for one period, with
 * what is used and held), the reservations held against them, and the meters that have any.
 *
 * @example
 * await entitlementsMigration.up(db, sqliteQuirks)
 */
export const entitlementsMigration: KobometerMigration = Object.freeze({
  name: '0006_entitlements',
  up: createEntitlementSchema,
})
