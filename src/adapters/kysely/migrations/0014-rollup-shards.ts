import { type Kysely, sql } from 'kysely'
import type { DialectQuirks } from '../dialect-quirks.js'
import { TABLE } from '../schema.js'
import { type KobometerMigration, schemaOf, tableOf } from './migration-kit.js'

const PRIMARY_KEY = `${TABLE.rollups}_pk`

async function addRollupShards(db: Kysely<unknown>, quirks: DialectQuirks): Promise<void> {
  // One writer at a time (SQLite): nothing to spread, the table stays as it is.
  if (quirks.rollupShards === 1) return
  const ddl = quirks.ddl
  const table = tableOf(ddl, TABLE.rollups)
  await schemaOf(db, ddl)
    .alterTable(TABLE.rollups)
    .addColumn('shard', 'smallint', (c) => c.notNull().defaultTo(0))
    .execute()
  // Every stored row is shard 0; the key takes the shard in one statement, so no moment exists
  // where two rows of one (meter, customer, hour, shard) could be written.
  if (quirks.dialect === 'mysql') {
    await sql`ALTER TABLE ${table} DROP PRIMARY KEY, ADD PRIMARY KEY (meter, customer_id, bucket, shard)`.execute(
      db,
    )
  } else {
    await sql`ALTER TABLE ${table} DROP CONSTRAINT ${sql.id(PRIMARY_KEY)},
      ADD CONSTRAINT ${sql.id(PRIMARY_KEY)} PRIMARY KEY (meter, customer_id, bucket, shard)`.execute(db)
  }
}

/**
 * Migration `0014_rollup_shards`: on PostgreSQL and MySQL a rollup of one (meter, customer, hour)
 * may be split over a few rows by a `shard` column in its key, so concurrent append transactions
 * stop queueing on the row lock of the same hot rollup (see `DialectQuirks.rollupShards`). Stored
 * rows become shard 0. SQLite is left as it is.
 *
 * @example
 * await rollupShardsMigration.up(db, postgresQuirks('public'))
 */
export const rollupShardsMigration: KobometerMigration = Object.freeze({
  name: '0014_rollup_shards',
  up: addRollupShards,
})
