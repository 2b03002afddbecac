import { sql } from 'kysely'
import { expect } from 'vitest'
import { KOBOMETER_MIGRATIONS } from '../../src/adapters/kysely/migrations/index.js'
import { TABLE } from '../../src/adapters/kysely/schema.js'
import { compileMeterEffects } from '../../src/core/meters/meter-effects.js'
import type { AllowanceRecord } from '../../src/core/ports/index.js'
import { event, meter } from '../../src/testing/ports/port-fixtures.js'
import { connect, migrateFirst, onEachSqlTarget, table } from '../support/older-store.js'
import { JAN, storedAllowance } from '../support/stored-allowance.js'
import { openStorage, type StoreConfig } from '../support/targets.js'

const FEB = Date.UTC(2027, 1, 1)
const MAR = Date.UTC(2027, 2, 1)

const stored = (customer_id: string, period_start: number, period_end: number): AllowanceRecord =>
  storedAllowance(customer_id, { period_start, period_end })

/** A store of every migration before 0021: cus_ada with two monthly allowances, cus_bob with one. */
async function seedStoreBeforeAllowanceCustomers(config: StoreConfig): Promise<void> {
  const { db, quirks } = await connect(config)
  await migrateFirst(
    db,
    quirks,
    KOBOMETER_MIGRATIONS.findIndex((m) => m.name === '0021_allowance_customers'),
  )
  const allowances = [stored('cus_ada', JAN, FEB), stored('cus_ada', FEB, MAR), stored('cus_bob', FEB, MAR)]
  for (const a of allowances) {
    await sql`insert into ${table(quirks, TABLE.allowances)} (customer_id, meter, period_start, period_end, next_expiry, doc)
      values (${a.customer_id}, ${a.meter}, ${a.period_start}, ${a.period_end}, ${null}, ${JSON.stringify(a)})`.execute(
      db,
    )
    await sql`insert into ${table(quirks, TABLE.allowanceUsage)} (customer_id, meter, period_start, period_end, used, revision, fill)
      values (${a.customer_id}, ${a.meter}, ${a.period_start}, ${a.period_end}, ${a.used}, ${a.revision}, ${0})`.execute(
      db,
    )
  }
  await sql`insert into ${table(quirks, TABLE.limitedMeters)} (meter) values (${'calls'})`.execute(db)
  await db.destroy()
}

// A store of the release before the customers' lock rows is upgraded in place: every customer with
// an allowance gets its row, and limited events count as they did.
onEachSqlTarget(
  'upgrading a store without allowance customer rows',
  'gives every customer with an allowance one row, and its events still count',
  async (config) => {
    await seedStoreBeforeAllowanceCustomers(config)
    const storage = await openStorage(config)
    try {
      await storage.migrate()
      const { db, quirks } = await connect(config)
      try {
        const { rows } = await sql<{ customer_id: string }>`select customer_id from ${table(
          quirks,
          TABLE.allowanceCustomers,
        )} order by customer_id`.execute(db)
        expect(rows.map((r) => r.customer_id)).toEqual(['cus_ada', 'cus_bob'])
      } finally {
        await db.destroy()
      }
      await storage.meters.insert(meter('', 'calls'), compileMeterEffects)
      const at = FEB + 3_600_000
      const results = await storage.events.append(
        [event('', 'e1', 'cus_ada', at), event('', 'e2', 'cus_bob', at)],
        compileMeterEffects,
      )
      expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted'])
      const read = await storage.entitlements.read(
        [
          { customer_id: 'cus_ada', meter: 'calls' },
          { customer_id: 'cus_bob', meter: 'calls' },
        ],
        at,
      )
      expect(read.map((a) => [a.customer_id, a.period_start, a.used]).sort()).toEqual([
        ['cus_ada', FEB, '1'],
        ['cus_bob', FEB, '1'],
      ])
      // The next period of a running customer opens under its own lock only.
      const [opened] = await storage.entitlements.open(
        [
          {
            customer_id: 'cus_ada',
            meter: 'calls',
            period_start: MAR,
            period_end: MAR + 31 * 86_400_000,
            limit: '10',
            enforce: true,
          },
        ],
        compileMeterEffects,
        MAR,
      )
      expect(opened).toMatchObject({ period_start: MAR, used: '0' })
    } finally {
      await storage.close()
    }
  },
)
