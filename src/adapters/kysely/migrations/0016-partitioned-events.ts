import { CompiledQuery, type Kysely, sql } from 'kysely'
import type { DialectQuirks } from '../dialect-quirks.js'
import { monthsBetween } from '../event-months.js'
import { createPartitionsScript } from '../event-partitions.js'
import { EVENTS_BY_CUSTOMER_INDEX, TABLE } from '../schema.js'
import { driveAsync } from '../sql-script.js'
import { statementSet } from '../statement-set.js'
import { type KobometerMigration, schemaOf, tableOf } from './migration-kit.js'

/** The unpartitioned events while their rows are copied, dropped once they are. */
const UNPARTITIONED = `${TABLE.events}_unpartitioned`
/** Months ahead of now whose partitions exist before any event lands in them. */
const MONTHS_AHEAD = 2

async function partitionEvents(db: Kysely<unknown>, quirks: DialectQuirks): Promise<void> {
  // One table with a unique key on SQLite and MySQL: nothing changes there.
  if (quirks.partitionedEvents === null) return
  const ddl = quirks.ddl
  const schema = schemaOf(db, ddl)
  const old = tableOf(ddl, UNPARTITIONED)

  await schema.alterTable(TABLE.events).renameTo(UNPARTITIONED).execute()
  // The primary key holds the partition key, as each of a partitioned table's unique indexes
  // must; led by `seq`, each partition's copy serves the backfill's `seq > after` scan (merged
  // across partitions in `seq` order). Named apart from the old table's until that is dropped.
  await schema
    .createTable(TABLE.events)
    .addColumn('seq', ddl.seqType, (c) => c.notNull().generatedAlwaysAsIdentity())
    .addColumn('idempotency_key', ddl.key, (c) => c.notNull())
    .addColumn('customer_id', ddl.key, (c) => c.notNull())
    .addColumn('event_name', ddl.code, (c) => c.notNull())
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addColumn('properties', ddl.text, (c) => c.notNull())
    .addColumn('payload_hash', ddl.short, (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint(`${TABLE.events}_seq_time`, ['seq', 'timestamp'])
    .modifyEnd(sql`PARTITION BY RANGE (timestamp)`)
    .execute()
  // The idempotency guarantee moves here: never archived, so an archived event's replay is still
  // told apart from a new event.
  await schema
    .createTable(TABLE.eventKeys)
    .addColumn('idempotency_key', ddl.key, (c) => c.notNull())
    .addColumn('payload_hash', ddl.short, (c) => c.notNull())
    .execute()

  // Every month from the oldest stored event (or now) to the newest (or two months ahead): rows
  // copied or appended soon find their partition; any other month is created on demand. Now is
  // the database's: the migration has no clock of the host's.
  const { rows } = await sql<{ first: string | null; last: string | null; now: string }>`
    SELECT min(timestamp)::text AS first, max(timestamp)::text AS last,
      (extract(epoch FROM now()) * 1000)::bigint::text AS now FROM ${old}`.execute(db)
  const bounds = rows[0]
  const now = Number(bounds?.now)
  const ahead = new Date(now)
  ahead.setUTCMonth(ahead.getUTCMonth() + MONTHS_AHEAD, 1)
  const first = bounds?.first == null ? now : Math.min(Number(bounds.first), now)
  const last = bounds?.last == null ? ahead.getTime() : Math.max(Number(bounds.last), ahead.getTime())
  await driveAsync(createPartitionsScript(statementSet(quirks), monthsBetween(first, last)), async (op) => {
    const result = await db.executeQuery(CompiledQuery.raw(op.sql, [...op.params]))
    return { rows: result.rows as Record<string, unknown>[], affected: Number(result.numAffectedRows ?? 0) }
  })

  const columns = sql.raw(
    'idempotency_key, customer_id, event_name, timestamp, properties, payload_hash, received_at',
  )
  await sql`INSERT INTO ${tableOf(ddl, TABLE.events)} (seq, ${columns}) OVERRIDING SYSTEM VALUE
    SELECT seq, ${columns} FROM ${old}`.execute(db)
  await sql`INSERT INTO ${tableOf(ddl, TABLE.eventKeys)} (idempotency_key, payload_hash)
    SELECT idempotency_key, payload_hash FROM ${old}`.execute(db)
  // Its primary key built once the keys are in: one sort instead of a random index insert per key.
  await schema
    .alterTable(TABLE.eventKeys)
    .addPrimaryKeyConstraint(`${TABLE.eventKeys}_pkey`, ['idempotency_key'])
    .execute()
  // New events continue the old numbering: `seq` stays one order across partitions.
  await sql`SELECT setval(pg_get_serial_sequence(${quirks.tables.events}, 'seq'), max(seq))
    FROM ${tableOf(ddl, TABLE.events)} HAVING count(*) > 0`.execute(db)
  await schema.dropTable(UNPARTITIONED).execute()
  // Built once the rows are in (faster than row by row), on every partition, present and future.
  await schema
    .createIndex(EVENTS_BY_CUSTOMER_INDEX)
    .on(TABLE.events)
    .columns(['customer_id', 'timestamp', 'seq'])
    .execute()
}

/**
 * Migration `0016_partitioned_events`: on PostgreSQL the events table becomes range-partitioned by
 * `timestamp`, one partition per UTC month (see `DialectQuirks.partitionedEvents`), so a past
 * month can be detached and archived. The rows are copied into the new table in one statement,
 * their keys and payload hashes into the keys table, and the old table is dropped: the upgrade
 * rewrites the event log once, inside the migration's transaction. SQLite and MySQL are left as
 * they are.
 *
 * @example
 * await partitionedEventsMigration.up(db, postgresQuirks('public'))
 */
export const partitionedEventsMigration: KobometerMigration = Object.freeze({
  name: '0016_partitioned_events',
  up: partitionEvents,
})
