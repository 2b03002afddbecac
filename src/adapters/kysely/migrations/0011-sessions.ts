import type { Kysely } from 'kysely'
import type { DialectQuirks } from '../dialect-quirks.js'
import { SESSION_INDEX, TABLE } from '../schema.js'
import { convertToNoPad } from './0004-no-pad-collation.js'
import { createTable, type KobometerMigration, schemaOf } from './migration-kit.js'

async function createSessionSchema(db: Kysely<unknown>, quirks: DialectQuirks): Promise<void> {
  const ddl = quirks.ddl
  await createTable(
    schemaOf(db, ddl)
      .createTable(TABLE.sessions)
      .ifNotExists()
      .addColumn('id', ddl.key, (c) => c.primaryKey())
      .addColumn('hash', ddl.key, (c) => c.notNull())
      .addColumn('kind', ddl.key, (c) => c.notNull())
      .addColumn('customer_id', ddl.key)
      .addColumn('api_key_id', ddl.key)
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .addColumn('doc', ddl.text, (c) => c.notNull()),
    ddl,
    false,
  )
  // Byte-for-byte hash comparison on MySQL too (no PAD SPACE, no case folding).
  await convertToNoPad(db, quirks, [TABLE.sessions])
  const schema = schemaOf(db, ddl)
  await schema.createIndex(SESSION_INDEX.hash).on(TABLE.sessions).column('hash').unique().execute()
  await schema.createIndex(SESSION_INDEX.customer).on(TABLE.sessions).column('customer_id').execute()
  await schema.createIndex(SESSION_INDEX.apiKey).on(TABLE.sessions).column('api_key_id').execute()
  await schema.createIndex(SESSION_INDEX.expires).on(TABLE.sessions).column('expires_at').execute()
}

/**
 * Migration `0011_sessions`: dashboard sign-in and customer portal sessions, found by the SHA-256
 * of their token through a unique index; revoked together by API key or by customer, and deleted
 * by expiry, each through an index of its own.
 *
 * @example
 * await sessionsMigration.up(db, sqliteQuirks)
 */
export const sessionsMigration: KobometerMigration = Object.freeze({
  name: '0011_sessions',
  up: createSessionSchema,
})
