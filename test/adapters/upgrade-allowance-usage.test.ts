import { sql } from 'kysely'
import { expect } from 'vitest'
import { KOBOMETER_MIGRATIONS } from '../../src/adapters/kysely/migrations/index.js'
import { TABLE } from '../../src/adapters/kysely/schema.js'
import { allowanceFill } from '../../src/core/entitlements/allowance-fill.js'
import type { AllowanceRecord } from '../../src/core/ports/index.js'
import { connect, migrateFirst, onEachSqlTarget, table } from '../support/older-store.js'
import { JAN, storedAllowance } from '../support/stored-allowance.js'
import { openStorage, type StoreConfig } from '../support/targets.js'

const DAY = 86_400_000

const stored = (customer_id: string, used: string, revision: number): AllowanceRecord =>
  storedAllowance(customer_id, { used, revision })

/** A store of every migration before 0017, with two allowances kept whole in their documents. */
async function seedStoreBeforeUsageRows(config: StoreConfig): Promise<void> {
  const { db, quirks } = await connect(config)
  await migrateFirst(
    db,
    quirks,
    KOBOMETER_MIGRATIONS.findIndex((m) => m.name === '0017_allowance_usage'),
  )
  for (const a of [stored('cus_ada', '9', 3), stored('cus_bob', '2', 1)]) {
    await sql`insert into ${table(quirks, TABLE.allowances)} (customer_id, meter, period_start, period_end, next_expiry, doc, fill)
      values (${a.customer_id}, ${a.meter}, ${a.period_start}, ${a.period_end}, ${null}, ${JSON.stringify(a)}, ${allowanceFill(a)})`.execute(
      db,
    )
  }
  await db.destroy()
}

// A store of the release before the usage rows is upgraded in place: every allowance reads, fills
// and counts as it did, from usage rows filled from the stored documents.
onEachSqlTarget(
  'upgrading a store without allowance usage rows',
  'fills one usage row per allowance from its document',
  async (config) => {
    await seedStoreBeforeUsageRows(config)
    const storage = await openStorage(config)
    try {
      await storage.migrate()
      const read = await storage.entitlements.read(
        [
          { customer_id: 'cus_ada', meter: 'calls' },
          { customer_id: 'cus_bob', meter: 'calls' },
        ],
        JAN + DAY,
      )
      expect(read.map((a) => [a.customer_id, a.used, a.revision]).sort()).toEqual([
        ['cus_ada', '9', 3],
        ['cus_bob', '2', 1],
      ])
      const near = await storage.entitlements.nearLimit({ at: JAN + DAY, ratio: 0.5, limit: 10 })
      expect(near.map((a) => [a.customer_id, a.used])).toEqual([['cus_ada', '9']])
      // A top-up rewrites both rows: the next revision, from the one the usage row held.
      const granted = await storage.entitlements.grant(
        { customer_id: 'cus_ada', meter: 'calls', period_start: JAN },
        '5',
        JAN + DAY,
      )
      expect(granted).toMatchObject({ used: '9', granted: '5', revision: 4 })
      const near2 = await storage.entitlements.nearLimit({ at: JAN + DAY, ratio: 0.5, limit: 10 })
      expect(near2.map((a) => [a.customer_id, a.used, a.granted])).toEqual([['cus_ada', '9', '5']])
    } finally {
      await storage.close()
    }
  },
)
