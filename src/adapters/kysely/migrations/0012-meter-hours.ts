import { CompiledQuery, type Kysely } from 'kysely'
import type { Meter } from '../../../core/meters/types.js'
import type { DialectQuirks } from '../dialect-quirks.js'
import { ROLLUPS_BY_BUCKET_INDEX, TABLE } from '../schema.js'
import { chunks } from '../sql-script.js'
import { convertToNoPad } from './0004-no-pad-collation.js'
import { createTable, type KobometerMigration, schemaOf } from './migration-kit.js'

// The aggregations whose totals across customers add up hour by hour.
const ADDITIVE = new Set<Meter['aggregation']>(['count', 'sum', 'min', 'max'])

async function createMeterHours(db: Kysely<unknown>, quirks: DialectQuirks): Promise<void> {
  const ddl = quirks.ddl
  const schema = schemaOf(db, ddl)
  await createTable(
    schema
      .createTable(TABLE.meterHours)
      .ifNotExists()
      .addColumn('meter', ddl.code, (c) => c.notNull())
      .addColumn('bucket', 'bigint', (c) => c.notNull())
      .addColumn('shard', 'integer', (c) => c.notNull())
      .addColumn('count', 'bigint', (c) => c.notNull())
      .addColumn('sum', ddl.decimal)
      .addColumn('min', ddl.decimal)
      .addColumn('max', ddl.decimal)
      .addPrimaryKeyConstraint(`${TABLE.meterHours}_pk`, ['meter', 'bucket', 'shard']),
    ddl,
    true,
  )
  await convertToNoPad(db, quirks, [TABLE.meterHours])

  // Backfill from the rollups, every hour into shard 0, for the meters whose totals are kept.
  // Emptied first: where DDL is not transactional (MySQL) a rerun after a crash starts over.
  const { tables } = quirks
  await db.executeQuery(CompiledQuery.raw(`DELETE FROM ${tables.meterHours}`))
  const meters = await db.executeQuery<{ definition: string }>(
    CompiledQuery.raw(`SELECT definition FROM ${tables.meters}`),
  )
  const codes = meters.rows
    .map((row) => JSON.parse(row.definition) as Meter)
    .filter((meter) => ADDITIVE.has(meter.aggregation))
    .map((meter) => meter.code)
    .sort()
  for (const some of chunks(codes, quirks.maxRowsPerStatement)) {
    const within = quirks.textIn('meter', some)
    await db.executeQuery(
      CompiledQuery.raw(
        `INSERT INTO ${tables.meterHours} (meter, bucket, shard, count, sum, min, max)` +
          ` SELECT meter, bucket, 0, SUM(count), ${quirks.decimalSum('sum')}, ${quirks.decimalLeast('min')},` +
          ` ${quirks.decimalGreatest('max')} FROM ${tables.rollups} WHERE ${within.sql} GROUP BY meter, bucket`,
        [...within.params],
      ),
    )
  }

  // A window of one meter across customers (the top customers) then reads the window's rollups.
  await schema
    .createIndex(ROLLUPS_BY_BUCKET_INDEX)
    .on(TABLE.rollups)
    .columns(['meter', 'bucket', 'customer_id'])
    .execute()
}

/**
 * Migration `0012_meter_hours`: each `count`, `sum`, `min` and `max` meter's hourly totals across
 * customers (`kobometer_meter_hours`, a few shards per hour summed when read), backfilled from the
 * rollups in one statement; and an index of the rollups by (meter, bucket, customer_id), so a
 * window across customers reads that window's rows, not every row the meter kept.
 *
 * @example
 * await meterHoursMigration.up(db, sqliteQuirks)
 */
export const meterHoursMigration: KobometerMigration = Object.freeze({
  name: '0012_meter_hours',
  up: createMeterHours,
})
