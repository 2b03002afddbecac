import { sql } from 'kysely'
import { expect } from 'vitest'
import { KOBOMETER_MIGRATIONS } from '../../src/adapters/kysely/migrations/index.js'
import { TABLE } from '../../src/adapters/kysely/schema.js'
import { customer, draft } from '../../src/testing/ports/port-fixtures.js'
import { connect, insertOlderInvoices, migrateFirst, onEachSqlTarget, table } from '../support/older-store.js'
import { openStorage, type StoreConfig } from '../support/targets.js'

const JAN = Date.UTC(2027, 0, 1)
const DAY = 86_400_000

/** A 0009 store (before the dashboard columns) with a customer, an allowance and three invoices. */
async function seed0009Store(config: StoreConfig): Promise<void> {
  const { db, quirks } = await connect(config)
  await migrateFirst(db, quirks, 9)
  const ada = { ...customer('cus_ada', 'Ada Lovelace'), email: 'ADA@example.com' }
  await sql`insert into ${table(quirks, TABLE.customers)} (id, doc) values (${ada.id}, ${JSON.stringify(ada)})`.execute(
    db,
  )
  const allowance = {
    customer_id: 'cus_ada',
    meter: 'calls',
    period_start: JAN,
    period_end: JAN + 31 * DAY,
    limit: '10',
    enforce: false,
    granted: '0',
    used: '9',
    reserved: '0',
    next_expiry: null,
    revision: 3,
  }
  await sql`insert into ${table(quirks, TABLE.allowances)} (customer_id, meter, period_start, period_end, next_expiry, doc)
    values (${'cus_ada'}, ${'calls'}, ${JAN}, ${JAN + 31 * DAY}, ${null}, ${JSON.stringify(allowance)})`.execute(
    db,
  )
  const finalizedAt = new Date(JAN + DAY).toISOString()
  const invoices = [
    {
      ...draft('in_1', 'sub_1', '2027-02-01T00:00:00.000Z', 'cus_ada'),
      status: 'paid',
      finalized_at: finalizedAt,
    },
    {
      ...draft('in_2', 'sub_2', '2027-02-01T00:00:00.000Z', 'cus_ada'),
      status: 'open',
      finalized_at: finalizedAt,
    },
    draft('in_3', 'sub_3', '2027-02-01T00:00:00.000Z', 'cus_ada'),
  ]
  await insertOlderInvoices(db, quirks, invoices)
  await db.destroy()
}

// A store of the release before the dashboard queries is upgraded in place: what it holds is
// found by search, near-limit and totals, from columns backfilled from the stored documents.
onEachSqlTarget(
  'upgrading a 0009 store',
  'backfills the search text, the fill and the invoice totals',
  async (config) => {
    await seed0009Store(config)
    const storage = await openStorage(config)
    try {
      await storage.migrate()
      expect((await storage.customers.search({ query: 'ada@EXAMPLE', limit: 10 })).map((c) => c.id)).toEqual([
        'cus_ada',
      ])
      const near = await storage.entitlements.nearLimit({ at: JAN + DAY, ratio: 0.9, limit: 10 })
      expect(near.map((a) => [a.customer_id, a.used])).toEqual([['cus_ada', '9']])
      expect(await storage.invoices.totals({ from: JAN, to: JAN + 2 * DAY })).toEqual([
        { currency: 'NGN', status: 'open', count: 1, total: 1000 },
        { currency: 'NGN', status: 'paid', count: 1, total: 1000 },
      ])
    } finally {
      await storage.close()
    }
  },
)

/** A store of every migration before 0013 with open (one past due), paid and draft invoices. */
async function seedStoreBeforeInvoiceDue(config: StoreConfig): Promise<void> {
  const { db, quirks } = await connect(config)
  await migrateFirst(
    db,
    quirks,
    KOBOMETER_MIGRATIONS.findIndex((m) => m.name === '0013_invoice_due'),
  )
  const iso = (t: number) => new Date(t).toISOString()
  const owed = (id: string, status: 'open' | 'paid', dueAt: number) => ({
    ...draft(id, `sub_${id}`, '2027-02-01T00:00:00.000Z', 'cus_ada'),
    status,
    finalized_at: iso(JAN),
    due_at: iso(dueAt),
  })
  const invoices = [
    owed('in_late', 'open', JAN + DAY),
    owed('in_soon', 'open', JAN + 20 * DAY),
    owed('in_paid', 'paid', JAN + DAY),
    { ...draft('in_draft', 'sub_draft', '2027-02-01T00:00:00.000Z', 'cus_ada'), due_at: iso(JAN) },
  ]
  await insertOlderInvoices(db, quirks, invoices)
  await db.destroy()
}

// A store of the release before the due column is upgraded in place: its open invoices are found
// past due from the backfilled column.
onEachSqlTarget(
  'upgrading a store without the invoice due column',
  'backfills the due time of open invoices only',
  async (config) => {
    await seedStoreBeforeInvoiceDue(config)
    const storage = await openStorage(config)
    try {
      await storage.migrate()
      const pastDue = async (at: number) =>
        (await storage.invoices.list({ due_before: at, limit: 10 })).map((i) => i.id)
      expect(await pastDue(JAN + 10 * DAY)).toEqual(['in_late'])
      expect(await pastDue(JAN + 30 * DAY)).toEqual(['in_late', 'in_soon'])
    } finally {
      await storage.close()
    }
  },
)
