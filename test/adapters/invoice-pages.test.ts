import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postgresQuirks } from '../../src/adapters/kysely/postgres/postgres-quirks.js'
import { BILLING_INDEX } from '../../src/adapters/kysely/schema.js'
import { sqliteQuirks } from '../../src/adapters/kysely/sqlite/sqlite-quirks.js'
import { statementSet } from '../../src/adapters/kysely/statement-set.js'
import { describeSqlitePlans } from '../support/sqlite-plans.js'
import { openStorage, postgresTarget, type StoreConfig } from '../support/targets.js'

// `invoices.run` pages through every draft and `tick` through every open invoice: each page must
// start where the last one ended, not read and sort every invoice of that status again.
describeSqlitePlans('pages of invoices of one status on SQLite', (plan) => {
  it('are read in id order from the (status, id) index, without a sort', () => {
    const invoices = statementSet(sqliteQuirks).invoices
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
  })
})

// PostgreSQL plans by its statistics: with 10,000 analyzed subscriptions and invoices, the pages a
// sharded run reads must still walk an index in key order. (An `OR` form of the shard condition
// was estimated at 0.5% of the rows, and each page scanned and sorted the whole table.)
describe.skipIf(postgresTarget.skip)(
  `pages of one shard on PostgreSQL${postgresTarget.skip ? ` (skipped: ${postgresTarget.skip})` : ''}`,
  () => {
    let config: StoreConfig
    let destroy: () => Promise<void>
    beforeAll(async () => {
      ;({ config, destroy } = await postgresTarget.fresh())
    }, 60_000)
    afterAll(() => destroy?.(), 60_000)

    it('walk the primary key or the (status, id) index, never a sort of the table', async () => {
      const storage = await openStorage(config)
      await storage.migrate()
      await storage.close()
      if (config.kind !== 'postgres') throw new Error('a PostgreSQL store')
      const quirks = postgresQuirks(config.schema)
      const client = new pg.Client({ connectionString: config.connectionString })
      await client.connect()
      try {
        const { subscriptions, invoices } = quirks.tables
        await client.query(`INSERT INTO ${subscriptions} (id, customer_id, next_invoice_at, revision, doc, shard_hash)
          SELECT 'sub_' || i, 'cus_' || i, 1000, 1, '{}', i * 2654435761 % 4294967296 FROM generate_series(1, 10000) i`)
        await client.query(`INSERT INTO ${invoices} (id, subscription_id, period_end, customer_id, status, doc, shard_hash)
          SELECT 'in_' || i, 'sub_' || i, 'p', 'cus_' || i, CASE WHEN i % 10 = 0 THEN 'paid' ELSE 'draft' END, '{}',
            i * 2654435761 % 4294967296 FROM generate_series(1, 10000) i`)
        await client.query(`ANALYZE ${subscriptions}; ANALYZE ${invoices}`)
        const statements = statementSet(quirks)
        const plan = async (op: { sql: string; params: readonly unknown[] }) =>
          (await client.query(`EXPLAIN ${op.sql}`, [...op.params])).rows.map((row) =>
            String(row['QUERY PLAN']),
          )
        for (const count of [2, 16]) {
          const shard = { index: 1, count }
          const due = await plan(
            statements.subscriptions.due({ due_by: 2000, after: 'sub_5', limit: 500, shard }),
          )
          expect(due.join('\n')).toMatch(/Index Scan using kobometer_subscriptions_pkey/)
          const drafts = await plan(
            statements.invoices.page({ status: 'draft', after: 'in_5', limit: 500, shard }),
          )
          expect(drafts.join('\n')).toMatch(
            new RegExp(`Index Scan using (kobometer_invoices_pkey|${BILLING_INDEX.invoicesStatusId})`),
          )
          for (const rows of [due, drafts]) expect(rows.join('\n')).not.toMatch(/Sort|Seq Scan/)
        }
      } finally {
        await client.end()
      }
    })
  },
)
