import { CompiledQuery, type Kysely } from 'kysely'
import {
  UNIQUE_VALUE_HASH_PREFIX,
  UNIQUE_VALUE_MAX_PLAIN,
  uniqueValueKey,
} from '../../../core/meters/unique-value.js'
import { type DialectQuirks, valuesRow } from '../dialect-quirks.js'
import type { KobometerMigration } from './migration-kit.js'

interface ValueRow {
  meter: string
  customer_id: string
  bucket: number | string
  value: string
}

async function rewriteUniqueValueKeys(db: Kysely<unknown>, quirks: DialectQuirks): Promise<void> {
  const table = quirks.tables.rollupValues
  const p = (index: number) => quirks.placeholder(index)
  // LENGTH counts characters on SQLite and PostgreSQL, bytes on MySQL: either way every value over
  // UNIQUE_VALUE_MAX_PLAIN UTF-16 units is longer than half that, and the key decides the rest.
  const { rows } = await db.executeQuery<ValueRow>(
    CompiledQuery.raw(
      `SELECT meter, customer_id, bucket, value FROM ${table} WHERE LENGTH(value) > ${p(1)} OR value LIKE ${p(2)}`,
      [UNIQUE_VALUE_MAX_PLAIN / 2, `${UNIQUE_VALUE_HASH_PREFIX}%`],
    ),
  )
  const insert = quirks.insertSkippingExisting(
    table,
    'meter, customer_id, bucket, value',
    valuesRow(quirks, 4),
    'meter, customer_id, bucket, value',
  )
  const remove = `DELETE FROM ${table} WHERE meter = ${p(1)} AND customer_id = ${p(2)} AND bucket = ${p(3)} AND value = ${p(4)}`
  for (const row of rows) {
    const key = uniqueValueKey(row.value)
    if (key === row.value) continue
    const id = [row.meter, row.customer_id, row.bucket]
    // Insert before delete: where DDL is not transactional (MySQL) a rerun after a crash finishes the job.
    await db.executeQuery(CompiledQuery.raw(insert, [...id, key]))
    await db.executeQuery(CompiledQuery.raw(remove, [...id, row.value]))
  }
}

/**
 * Migration `0005_unique_value_keys`: unique-count values are now stored in their bounded form
 * (`uniqueValueKey`), so stored values that are long or start with the hash prefix are rewritten
 * to it; without this an old value and the same value in a new event would count twice. Values a
 * MySQL store had already cut to 255 characters are rewritten as cut: what was cut off is lost.
 *
 * @example
 * await uniqueValueKeysMigration.up(db, sqliteQuirks)
 */
export const uniqueValueKeysMigration: KobometerMigration = Object.freeze({
  name: '0005_unique_value_keys',
  up: rewriteUniqueValueKeys,
})
