import { CompiledQuery, type Kysely, sql } from 'kysely'
import { compileMeterEffects } from '../../../core/meters/meter-effects.js'
import type { Meter, RollupDelta } from '../../../core/meters/types.js'
import type { DialectQuirks } from '../dialect-quirks.js'
import { collectDeltas, writeMinuteRollups } from '../rollup-write.js'
import { toStoredEvent } from '../row-mappers.js'
import { EVENTS_BY_CUSTOMER_INDEX, TABLE } from '../schema.js'
import { driveAsync } from '../sql-script.js'
import { statementSet } from '../statement-set.js'
import { createTable, type KobometerMigration, schemaOf } from './migration-kit.js'

/** Events read per statement while filling the minute rollups. */
const CHUNK = 5000

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

  // Minute rollups: the rollups' columns and key, by minute, for every stored event.
  await createTable(
    schema
      .createTable(TABLE.minuteRollups)
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
      .addPrimaryKeyConstraint(`${TABLE.minuteRollups}_pk`, ['meter', 'customer_id', 'bucket']),
    ddl,
    true,
  )
  await fillMinuteRollups(db, quirks)
}

// Every stored event's deltas under every meter, by minute, a chunk of events at a time, as a
// meter's backfill computes them.
async function fillMinuteRollups(db: Kysely<unknown>, quirks: DialectQuirks): Promise<void> {
  const { tables } = quirks
  const run = (text: string, params: readonly unknown[] = []) =>
    db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, [...params]))
  const definitions = await run(`SELECT definition FROM ${tables.meters} ORDER BY creation_order`)
  if (definitions.rows.length === 0) return
  const meters = definitions.rows.map((row) => JSON.parse(String(row.definition)) as Meter)
  const effects = compileMeterEffects(meters)
  const statements = statementSet(quirks)
  for (let after = 0; ; ) {
    const { rows } = await run(
      `SELECT seq, idempotency_key, customer_id, event_name, timestamp, properties, received_at` +
        ` FROM ${tables.events} WHERE seq > ? ORDER BY seq LIMIT ?`,
      [after, CHUNK],
    )
    const deltas: RollupDelta[] = []
    for (const row of rows) {
      const event = toStoredEvent(row)
      collectDeltas(deltas, effects(event).deltas, event.timestamp, true)
      after = event.seq
    }
    await driveAsync(writeMinuteRollups(statements, deltas), async (op) => {
      const result = await run(op.sql, op.params)
      return { rows: result.rows, affected: Number(result.numAffectedRows ?? 0) }
    })
    if (rows.length < CHUNK) return
  }
}

/**
 * Migration `0015_deferred_merge`: on SQLite the events' customer index and the rollups are merged
 * a tail of events at a time (see `DialectQuirks.deferredMerge`): the customer index moves to its
 * own clustered table (filled from the stored events), the state row gets the merged mark,
 * appends record their rollup deltas in a pending table, and rollups are also kept by minute
 * (filled for the stored events under every meter). PostgreSQL and MySQL are left as they are.
 *
 * @example
 * await deferredMergeMigration.up(db, sqliteQuirks)
 */
export const deferredMergeMigration: KobometerMigration = Object.freeze({
  name: '0015_deferred_merge',
  up: deferMerge,
})
