import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BILLING_INDEX } from '../../src/adapters/kysely/schema.js'
import { sqliteQuirks } from '../../src/adapters/kysely/sqlite/sqlite-quirks.js'
import { statementSet } from '../../src/adapters/kysely/statement-set.js'
import { openStorage, type StoreConfig, sqliteTarget } from '../support/targets.js'

// `invoices.run` pages through every draft and `tick` through every open invoice: each page must
// start where the last one ended, not read and sort every invoice of that status again.
describe('pages of invoices of one status on SQLite', () => {
  let config: StoreConfig
  let destroy: () => Promise<void>
  beforeAll(async () => {
    ;({ config, destroy } = await sqliteTarget.fresh())
  })
  afterAll(() => destroy?.())

  it('are read in id order from the (status, id) index, without a sort', async () => {
    const storage = await openStorage(config)
    await storage.migrate()
    await storage.close()
    if (config.kind !== 'sqlite') throw new Error('a SQLite store')
    const database = new Database(config.filename, { readonly: true })
    try {
      const invoices = statementSet(sqliteQuirks).invoices
      const plan = (op: { sql: string; params: readonly unknown[] }) =>
        database
          .prepare(`EXPLAIN QUERY PLAN ${op.sql}`)
          .all(...op.params)
          .map((row) => String((row as { detail: string }).detail))
      const first = plan(invoices.page({ status: 'open', limit: 500 }))
      const next = plan(
        invoices.page({ status: 'draft', after: 'in_1', limit: 500, shard: { index: 1, count: 2 } }),
      )
      expect(first).toEqual([
        `SEARCH kobometer_invoices USING INDEX ${BILLING_INDEX.invoicesStatusId} (status=?)`,
      ])
      expect(next).toEqual([
        `SEARCH kobometer_invoices USING INDEX ${BILLING_INDEX.invoicesStatusId} (status=? AND id>?)`,
      ])
    } finally {
      database.close()
    }
  })
})
