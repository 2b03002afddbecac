import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { KOBOMETER_MIGRATIONS, kobometerMigrations } from '../../src/adapters/kysely/migrations/index.js'
import { sqliteQuirks } from '../../src/adapters/kysely/sqlite/sqlite-quirks.js'

const MIGRATIONS_DIR = new URL('../../src/adapters/kysely/migrations/', import.meta.url)

describe('kobometer migrations', () => {
  // Stores record these names in kobometer_migration: a renamed one would be applied again.
  it('keep the names existing stores recorded, in the order they were released', () => {
    expect(Object.keys(kobometerMigrations(sqliteQuirks))).toEqual([
      '0001_events_meters_rollups',
      '0002_billing',
      '0003_payments',
      '0004_no_pad_collation',
      '0005_unique_value_keys',
      '0006_entitlements',
      '0007_notifications',
      '0008_alerts',
      '0009_api_keys',
      '0010_dashboard_queries',
      '0011_sessions',
      '0012_meter_hours',
      '0013_invoice_due',
      '0014_rollup_shards',
      '0015_deferred_merge',
      '0016_partitioned_events',
      '0017_allowance_usage',
      '0018_shard_hash',
      '0019_invoices_by_status',
      '0020_allowances_by_period_end',
      '0021_allowance_customers',
    ])
  })

  it('are listed in name order, the order the migrator applies them', () => {
    const names = KOBOMETER_MIGRATIONS.map((migration) => migration.name)
    expect(names).toEqual([...names].sort())
  })

  it('live one per file, each file named after its migration and listed', () => {
    const files = readdirSync(MIGRATIONS_DIR)
      .filter((file) => /^\d{4}-.*\.ts$/.test(file))
      .sort()
    expect(files.map((file) => file.replace(/\.ts$/, '').replaceAll('-', '_'))).toEqual(
      KOBOMETER_MIGRATIONS.map((migration) => migration.name),
    )
  })
})
