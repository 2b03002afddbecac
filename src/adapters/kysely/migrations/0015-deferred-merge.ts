import { type Kysely, sql } from 'kysely'
import type { DialectQuirks } from '../dialect-quirks.js'
import { EVENTS_BY_CUSTOMER_INDEX, TABLE } from '../schema.js'
import { createTable, type KobometerMigration, schemaOf } from './migration-kit.js'

async function deferMerge(db: Kysely<unknown>, quirks: DialectQuirks): Promise<void> {
  // Written at append on PostgreSQL and MySQL: nothing changes there.
  if (quirks.deferredMerge === null) return
  const ddl = quirks.ddl
  const schema = schemaOf(db, ddl)
  await schema
    .alterTable(TABLE.state)
    .addColumn('merged_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute()
  await createTable(
    schema
      .createTable(TABLE.eventOrder)
      .addColumn('customer_id', ddl.key, (c) => c.notNull())
      .addColumn('timestamp', 'bigint', (c) => c.notNull())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${TABLE.eventOrder}_pk`, ['customer_id', 'timestamp', 'seq']),
    ddl,
    true,
  )
  await createTable(
    schema
      .createTable(TABLE.pendingRollups)
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('deltas', ddl.text, (c) => c.notNull()),
    ddl,
    false,
  )
  // Every stored event is merged: its rollups were written at append, it moves to the new index.
  await sql`INSERT INTO ${sql.table(TABLE.eventOrder)} (customer_id, timestamp, seq)
    SELECT customer_id, timestamp, seq FROM ${sql.table(TABLE.events)} ORDER BY customer_id, timestamp, seq`.execute(
    db,
  )
  await sql`UPDATE ${sql.table(TABLE.state)}
    SET merged_seq = (SELECT coalesce(max(seq), 0) FROM ${sql.table(TABLE.events)}) WHERE id = 1`.execute(db)
  await schema.dropIndex(EVENTS_BY_CUSTOMER_INDEX).execute()
}

/**
 * Migration `0015_deferred_merge`: on SQLite the events' customer index and the rollups are merged
 * a tail of events at a time (see `DialectQuirks.deferredMerge`): the customer index moves to its
 * own clustered table (filled from the stored events), the state row gets the merged mark, and
 * appends record their rollup deltas in a pending table. PostgreSQL and MySQL are left as they are.
 *
 * @example
 * await deferredMergeMigration.up(db, sqliteQuirks)
 */
export const deferredMergeMigration: KobometerMigration = Object.freeze({
  name: '0015_deferred_merge',
  up: deferMerge,
})
