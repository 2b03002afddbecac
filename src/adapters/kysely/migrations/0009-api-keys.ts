import type { Kysely } from 'kysely'
import type { DialectQuirks } from '../dialect-quirks.js'
import { API_KEY_INDEX, TABLE } from '../schema.js'
import { convertToNoPad } from './0004-no-pad-collation.js'
import { createTable, type KobometerMigration, schemaOf } from './migration-kit.js'

async function createApiKeySchema(db: Kysely<unknown>, quirks: DialectQuirks): Promise<void> {
  const ddl = quirks.ddl
  await createTable(
    schemaOf(db, ddl)
      .createTable(TABLE.apiKeys)
      .ifNotExists()
      .addColumn('id', ddl.key, (c) => c.primaryKey())
      .addColumn('hash', ddl.key, (c) => c.notNull())
      .addColumn('last_used_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .addColumn('doc', ddl.text, (c) => c.notNull()),
    ddl,
    false,
  )
  // Byte-for-byte hash comparison on MySQL too (no PAD SPACE, no case folding).
  await convertToNoPad(db, quirks, [TABLE.apiKeys])
  await schemaOf(db, ddl)
    .createIndex(API_KEY_INDEX.keysHash)
    .on(TABLE.apiKeys)
    .column('hash')
    .unique()
    .execute()
}

/**
 * Migration `0009_api_keys`: API keys, found by the SHA-256 of their secret through a unique index;
 * the last-used and revocation times are columns, the rest a document.
 *
 * @example
 * await apiKeysMigration.up(db, sqliteQuirks)
 */
export const apiKeysMigration: KobometerMigration = Object.freeze({
  name: '0009_api_keys',
  up: createApiKeySchema,
})
