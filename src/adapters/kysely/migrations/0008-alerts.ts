import type { Kysely } from 'kysely'
import type { DialectQuirks } from '../dialect-quirks.js'
import { TABLE } from '../schema.js'
import { convertToNoPad } from './0004-no-pad-collation.js'
import { createTable, type KobometerMigration, schemaOf } from './migration-kit.js'

async function createAlertSchema(db: Kysely<unknown>, quirks: DialectQuirks): Promise<void> {
  const ddl = quirks.ddl
  await createTable(
    schemaOf(db, ddl)
      .createTable(TABLE.alerts)
      .ifNotExists()
      .addColumn('id', ddl.key, (c) => c.primaryKey())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('swept_at', 'bigint')
      .addColumn('doc', ddl.text, (c) => c.notNull()),
    ddl,
    false,
  )
  await convertToNoPad(db, quirks, [TABLE.alerts])
}

/**
 * Migration `0008_alerts`: alert definitions (a meter, who they cover, their thresholds). What has
 * fired is kept on the allowances the alerts watch and in the outbox.
 *
 * @example
 * await alertsMigration.up(db, sqliteQuirks)
 */
export const alertsMigration: KobometerMigration = Object.freeze({
  name: '0008_alerts',
  up: createAlertSchema,
})
