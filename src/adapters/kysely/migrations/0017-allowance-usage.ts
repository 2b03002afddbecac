import { type Kysely, sql } from 'kysely'
import { allowanceFill } from '../../../core/entitlements/allowance-fill.js'
import type { AllowanceRecord } from '../../../core/ports/index.js'
import type { DialectQuirks } from '../dialect-quirks.js'
import { DASHBOARD_INDEX, ENTITLEMENT_INDEX, TABLE } from '../schema.js'
import { chunks } from '../sql-script.js'
import { convertToNoPad } from './0004-no-pad-collation.js'
import { createTable, dropIndex, type KobometerMigration, schemaOf, tableOf } from './migration-kit.js'

/** Usage rows written per statement while filling the table from the stored allowances. */
const CHUNK = 500

async function splitAllowanceUsage(db: Kysely<unknown>, quirks: DialectQuirks): Promise<void> {
  const ddl = quirks.ddl
  const schema = schemaOf(db, ddl)
  await createTable(
    schema
      .createTable(TABLE.allowanceUsage)
      .addColumn('customer_id', ddl.key, (c) => c.notNull())
      .addColumn('meter', ddl.code, (c) => c.notNull())
      .addColumn('period_start', 'bigint', (c) => c.notNull())
      .addColumn('period_end', 'bigint', (c) => c.notNull())
      .addColumn('used', ddl.short, (c) => c.notNull())
      .addColumn('revision', 'bigint', (c) => c.notNull())
      .addColumn('fill', 'double precision')
      .addPrimaryKeyConstraint(`${TABLE.allowanceUsage}_pk`, ['customer_id', 'meter', 'period_start']),
    ddl,
    true,
  )
  await convertToNoPad(db, quirks, [TABLE.allowanceUsage])

  // Every stored allowance gets its row, from its document (which was current until now).
  const scoped = ddl.schema === null ? db : db.withSchema(ddl.schema)
  const { rows } = await sql<{ doc: string }>`SELECT doc FROM ${tableOf(ddl, TABLE.allowances)}`.execute(db)
  for (const chunk of chunks(rows, CHUNK)) {
    const values = chunk.map(({ doc }) => {
      const a = JSON.parse(doc) as AllowanceRecord
      const { customer_id, meter, period_start, period_end, used, revision } = a
      return { customer_id, meter, period_start, period_end, used, revision, fill: allowanceFill(a) }
    })
    await scoped
      .insertInto(TABLE.allowanceUsage as never)
      .values(values as never)
      .execute()
  }

  // The fill moves with the usage: the allowances keep the document and what locks and expiry read.
  await schema
    .createIndex(ENTITLEMENT_INDEX.usageFill)
    .on(TABLE.allowanceUsage)
    .columns(['period_end', 'fill'])
    .execute()
  await dropIndex(db, quirks, DASHBOARD_INDEX.allowancesFill, TABLE.allowances)
  await schema.alterTable(TABLE.allowances).dropColumn('fill').execute()
}

/**
 * Migration `0017_allowance_usage`: an allowance's `used`, `revision` and fill move to a narrow
 * table of their own (`kobometer_allowance_usage`, one row per allowance, filled from the stored
 * documents), which reads join and which overrides the document's copies. An append that only
 * counts usage toward an allowance rewrites that narrow row, not the document: on SQLite the one
 * writer pays for every page a transaction dirties, and a document with alert marks fills a page
 * with a handful of rows. The fill index moves with it.
 *
 * @example
 * await allowanceUsageMigration.up(db, sqliteQuirks)
 */
export const allowanceUsageMigration: KobometerMigration = Object.freeze({
  name: '0017_allowance_usage',
  up: splitAllowanceUsage,
})
