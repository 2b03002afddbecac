import { type Kysely, type Migration, Migrator } from 'kysely'
import type { DialectQuirks } from '../dialect-quirks.js'
import { TABLE } from '../schema.js'
import { eventsMetersRollupsMigration } from './0001-events-meters-rollups.js'
import { billingMigration } from './0002-billing.js'
import { paymentsMigration } from './0003-payments.js'
import { noPadCollationMigration } from './0004-no-pad-collation.js'
import { uniqueValueKeysMigration } from './0005-unique-value-keys.js'
import { entitlementsMigration } from './0006-entitlements.js'
import { notificationsMigration } from './0007-notifications.js'
import { alertsMigration } from './0008-alerts.js'
import { apiKeysMigration } from './0009-api-keys.js'
import { dashboardQueriesMigration } from './0010-dashboard-queries.js'
import { sessionsMigration } from './0011-sessions.js'
import { meterHoursMigration } from './0012-meter-hours.js'
import { invoiceDueMigration } from './0013-invoice-due.js'
import { rollupShardsMigration } from './0014-rollup-shards.js'
import { deferredMergeMigration } from './0015-deferred-merge.js'
import { partitionedEventsMigration } from './0016-partitioned-events.js'
import { allowanceUsageMigration } from './0017-allowance-usage.js'
import { shardHashMigration } from './0018-shard-hash.js'
import { invoicesByStatusMigration } from './0019-invoices-by-status.js'
import { allowancesByPeriodEndMigration } from './0020-allowances-by-period-end.js'
import { allowanceCustomersMigration } from './0021-allowance-customers.js'
import type { KobometerMigration } from './migration-kit.js'

/**
 * kobometer's migrations, oldest first: one file each, named after the migration. Never edit a
 * published one: add the next file and list it here.
 *
 * @example
 * KOBOMETER_MIGRATIONS.map((m) => m.name).at(-1) // '0021_allowance_customers'
 */
export const KOBOMETER_MIGRATIONS: readonly KobometerMigration[] = Object.freeze([
  eventsMetersRollupsMigration,
  billingMigration,
  paymentsMigration,
  noPadCollationMigration,
  uniqueValueKeysMigration,
  entitlementsMigration,
  notificationsMigration,
  alertsMigration,
  apiKeysMigration,
  dashboardQueriesMigration,
  sessionsMigration,
  meterHoursMigration,
  invoiceDueMigration,
  rollupShardsMigration,
  deferredMergeMigration,
  partitionedEventsMigration,
  allowanceUsageMigration,
  shardHashMigration,
  invoicesByStatusMigration,
  allowancesByPeriodEndMigration,
  allowanceCustomersMigration,
])

/**
 * kobometer's migrations for one dialect, by name, as kysely's `Migrator` takes them (it applies
 * them in name order).
 *
 * @example
 * const migrations = kobometerMigrations(sqliteQuirks)
 * Object.keys(migrations) // ['0001_events_meters_rollups', '0002_billing', '0003_payments', '0004_no_pad_collation', '0005_unique_value_keys', '0006_entitlements', '0007_notifications', '0008_alerts', '0009_api_keys', '0010_dashboard_queries', '0011_sessions', '0012_meter_hours', '0013_invoice_due', '0014_rollup_shards', '0015_deferred_merge', '0016_partitioned_events', '0017_allowance_usage', '0018_shard_hash', '0019_invoices_by_status', '0020_allowances_by_period_end', '0021_allowance_customers']
 */
export function kobometerMigrations(quirks: DialectQuirks): Record<string, Migration> {
  return Object.fromEntries(
    KOBOMETER_MIGRATIONS.map((migration) => [
      migration.name,
      { up: (db: Kysely<unknown>) => migration.up(db, quirks) },
    ]),
  )
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
