import { expect, it } from 'vitest'
import { ENTITLEMENT_INDEX } from '../../src/adapters/kysely/schema.js'
import { sqliteQuirks } from '../../src/adapters/kysely/sqlite/sqlite-quirks.js'
import { statementSet } from '../../src/adapters/kysely/statement-set.js'
import { describeSqlitePlans } from '../support/sqlite-plans.js'

// An append on SQLite reads only the allowances of the periods its events fall in. Through the
// primary key it walked every period a customer ever had, and limited ingest slowed down as
// customers aged (a sixth of the speed after 24 monthly periods).
describeSqlitePlans("an append's read of allowances on SQLite", (plan) => {
  it('walks the (customer_id, period_end) index from the earliest event on, not every past period', () => {
    const at = Date.UTC(2027, 0, 15)
    const read = statementSet(sqliteQuirks).entitlements.allowancesOverlapping(
      ['cus_1', 'cus_2'],
      at,
      at + 1,
      false,
    )
    expect(plan(read)).toEqual([
      `SEARCH a USING INDEX ${ENTITLEMENT_INDEX.allowancesCustomerEnd} (customer_id=? AND period_end>?)`,
      'SEARCH u USING PRIMARY KEY (customer_id=? AND meter=? AND period_start=?)',
    ])
  })
})
