import { expect, it } from 'vitest'
import { BILLING_INDEX } from '../../src/adapters/kysely/schema.js'
import { sqliteQuirks } from '../../src/adapters/kysely/sqlite/sqlite-quirks.js'
import { statementSet } from '../../src/adapters/kysely/statement-set.js'
import { describeSqlitePlans } from '../support/sqlite-plans.js'

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
