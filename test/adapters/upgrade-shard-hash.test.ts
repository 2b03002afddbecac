import { sql } from 'kysely'
import { expect } from 'vitest'
import { KOBOMETER_MIGRATIONS } from '../../src/adapters/kysely/migrations/index.js'
import { TABLE } from '../../src/adapters/kysely/schema.js'
import { shardOf } from '../../src/core/invoices/run-shard.js'
import type { Storage } from '../../src/core/ports/index.js'
import { draft, subscription } from '../../src/testing/ports/port-fixtures.js'
import { connect, migrateFirst, onEachSqlTarget, table } from '../support/older-store.js'
import { openStorage, type StoreConfig } from '../support/targets.js'

const DUE = Date.UTC(2027, 1, 1)
/** More subscriptions than the migration updates per statement. */
const SUBSCRIPTIONS = 520
const subId = (i: number) => `sub_${String(i).padStart(4, '0')}`
const subIds = Array.from({ length: SUBSCRIPTIONS }, (_, i) => subId(i))

/** Rows as a release before `0018_shard_hash` wrote them: no shard hash. */
async function insertWithoutHash(config: StoreConfig, first: number, count: number): Promise<void> {
  const { db, quirks } = await connect(config)
  const ids = Array.from({ length: count }, (_, i) => subId(first + i))
  const subs = ids.map((id) => subscription(id, `cus_${id}`, DUE))
  await sql`insert into ${table(quirks, TABLE.subscriptions)} (id, customer_id, next_invoice_at, revision, doc)
    values ${sql.join(subs.map((s) => sql`(${s.id}, ${s.customer_id}, ${s.next_invoice_at}, ${s.revision}, ${JSON.stringify(s)})`))}`.execute(
    db,
  )
  // A draft per subscription, and a second, paid invoice for the first ten.
  const invoices = [
    ...ids.map((id) => draft(`in_${id}_feb`, id, '2027-02-01T00:00:00.000Z', `cus_${id}`)),
    ...ids.slice(0, 10).map((id) => ({
      ...draft(`in_${id}_jan`, id, '2027-01-01T00:00:00.000Z', `cus_${id}`),
      status: 'paid' as const,
    })),
  ]
  await sql`insert into ${table(quirks, TABLE.invoices)} (id, subscription_id, period_end, customer_id, status, doc)
    values ${sql.join(invoices.map((i) => sql`(${i.id}, ${i.subscription_id}, ${i.period_end}, ${i.customer_id}, ${i.status}, ${JSON.stringify(i)})`))}`.execute(
    db,
  )
  await db.destroy()
}

/** Every page of one shard: due subscriptions, and invoices (drafts only when asked). */
async function shardRows(storage: Storage, index: number, count: number) {
  const shard = { index, count }
  const subs: string[] = []
  for (let after: string | undefined; ; ) {
    const page = await storage.subscriptions.listDue({
      due_by: DUE,
      limit: 100,
      shard,
      ...(after ? { after } : {}),
    })
    subs.push(...page.map((s) => s.id))
    if (page.length < 100) break
    after = page.at(-1)!.id
  }
  const invoices = await storage.invoices.list({ limit: 2 * SUBSCRIPTIONS, shard })
  const drafts = await storage.invoices.list({ limit: 2 * SUBSCRIPTIONS, shard, status: 'draft' })
  return { subs, invoices: invoices.map((i) => i.id), drafts: drafts.map((i) => i.id) }
}

// A store of the release before shard hashes is upgraded in place: each worker of a sharded run
// then reads only its own subscriptions and invoices, every one of them exactly once.
onEachSqlTarget(
  'upgrading a store without shard hashes',
  'backfills the hash of every subscription and invoice; rows written without one reach every shard',
  async (config) => {
    const { db, quirks } = await connect(config)
    await migrateFirst(
      db,
      quirks,
      KOBOMETER_MIGRATIONS.findIndex((m) => m.name === '0018_shard_hash'),
    )
    await db.destroy()
    await insertWithoutHash(config, 0, SUBSCRIPTIONS)
    const storage = await openStorage(config)
    try {
      await storage.migrate()
      const shards = await Promise.all([0, 1, 2].map((index) => shardRows(storage, index, 3)))
      shards.forEach(({ subs, invoices, drafts }, index) => {
        const mine = subIds.filter((id) => shardOf(id, 3) === index)
        expect(subs).toEqual(mine)
        expect(drafts).toEqual(mine.map((id) => `in_${id}_feb`))
        expect(invoices).toEqual(
          mine.flatMap((id) => (id < subId(10) ? [`in_${id}_feb`, `in_${id}_jan`] : [`in_${id}_feb`])),
        )
      })

      // A process of the earlier release still running writes without the hash: its rows are
      // listed for every shard, and a run keeps only those of its own (`inShard`).
      await insertWithoutHash(config, SUBSCRIPTIONS, 1)
      const late = subId(SUBSCRIPTIONS)
      for (const index of [0, 1, 2]) {
        const { subs, drafts } = await shardRows(storage, index, 3)
        expect(subs).toContain(late)
        expect(drafts).toContain(`in_${late}_feb`)
      }
    } finally {
      await storage.close()
    }
  },
)
