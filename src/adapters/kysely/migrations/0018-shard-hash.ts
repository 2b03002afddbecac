import { type Kysely, sql } from 'kysely'
import { shardHash } from '../../../core/invoices/run-shard.js'
import type { DdlQuirks, DialectQuirks } from '../dialect-quirks.js'
import { SHARD_HASH_COLUMN } from '../keyset-page.js'
import { TABLE } from '../schema.js'
import { chunks } from '../sql-script.js'
import { type KobometerMigration, schemaOf, tableOf } from './migration-kit.js'

/** Rows of one key value set per statement while backfilling. */
const CHUNK = 500

/**
 * Sets `shard_hash` on every row of `table` to the hash of its `keyColumn` (a subscription id):
 * one `UPDATE … SET shard_hash = CASE key WHEN … END WHERE key IN (…)` per chunk of distinct keys.
 * The hashes are integers computed here, so they are written as literals (a bound value would
 * reach PostgreSQL's CASE untyped); the keys are bound.
 */
async function backfill(
  db: Kysely<unknown>,
  ddl: DdlQuirks,
  table: string,
  keyColumn: string,
): Promise<void> {
  const key = sql.ref(keyColumn)
  const target = tableOf(ddl, table)
  const column = sql.ref(SHARD_HASH_COLUMN)
  const found = await sql<{
    key: string
  }>`SELECT DISTINCT ${key} AS ${sql.ref('key')} FROM ${target}`.execute(db)
  const keys = found.rows.map((row) => row.key)
  for (const chunk of chunks(keys, CHUNK)) {
    const cases = sql.join(
      chunk.map((id) => sql`WHEN ${id} THEN ${sql.lit(shardHash(id))}`),
      sql` `,
    )
    const among = sql.join(chunk)
    await sql`UPDATE ${target} SET ${column} = CASE ${key} ${cases} END WHERE ${key} IN (${among})`.execute(
      db,
    )
  }
}

async function addShardHash(db: Kysely<unknown>, quirks: DialectQuirks): Promise<void> {
  const ddl = quirks.ddl
  const schema = schemaOf(db, ddl)
  for (const [table, keyColumn] of [
    [TABLE.subscriptions, 'id'],
    [TABLE.invoices, 'subscription_id'],
  ] as const) {
    await schema.alterTable(table).addColumn(SHARD_HASH_COLUMN, 'bigint').execute()
    await backfill(db, ddl, table, keyColumn)
  }
}

/**
 * Migration `0018_shard_hash`: subscriptions and invoices keep their subscription's shard hash
 * (`shard_hash`, the 32-bit FNV-1a hash of the subscription id that `invoices.run({ shard })`
 * splits by), backfilled from the stored ids. A worker running one shard of a run then lists only
 * its own due subscriptions and drafts, instead of every one with its document.
 *
 * @example
 * await shardHashMigration.up(db, postgresQuirks('billing'))
 */
export const shardHashMigration: KobometerMigration = Object.freeze({
  name: '0018_shard_hash',
  up: addShardHash,
})
