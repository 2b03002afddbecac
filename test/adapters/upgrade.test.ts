import { sql } from 'kysely'
import { expect } from 'vitest'
import { NO_PAD_BINARY_COLLATIONS } from '../../src/adapters/kysely/migrations/0004-no-pad-collation.js'
import { TABLE } from '../../src/adapters/kysely/schema.js'
import { uniqueValueKey } from '../../src/core/meters/unique-value.js'
import { createBilling } from '../../src/index.js'
import { connect, migrateFirst, onEachSqlTarget, table } from '../support/older-store.js'
import { openStorage, type StoreConfig } from '../support/targets.js'

// A store made by the first release (migration 0001 only, events in it) is upgraded in place by
// createBilling: the billing and payment tables are added, nothing stored is lost.
onEachSqlTarget(
  'upgrading a 0001 store',
  'migrates to the latest schema with its events intact and bills them',
  async (config) => {
    const { db, quirks } = await connect(config)
    await migrateFirst(db, quirks, 1)
    const events = quirks.ddl.schema === null ? TABLE.events : `${quirks.ddl.schema}.${TABLE.events}`
    const JAN = Date.UTC(2027, 0, 1)
    for (let i = 0; i < 10; i++) {
      await sql`insert into ${sql.table(events)} (idempotency_key, customer_id, event_name, timestamp, properties, payload_hash, received_at)
      values (${`old_${i}`}, ${'cus_old'}, ${'api_call'}, ${JAN + i * 3_600_000}, ${'{}'}, ${`h${i}`}, ${JAN})`.execute(
        db,
      )
    }
    await db.destroy()

    let now = JAN
    const billing = await createBilling({ storage: await openStorage(config), clock: () => now })
    try {
      expect((await billing.events.list({ customer_id: 'cus_old', limit: 100 })).data).toHaveLength(10)
      await billing.meters.create({ code: 'calls', event_name: 'api_call', aggregation: 'count' })
      await billing.plans.create({
        code: 'p',
        name: 'P',
        currency: 'NGN',
        interval: 'month',
        charges: [{ meter: 'calls', model: 'per_unit', unit_amount: '50' }],
      })
      await billing.customers.create({ id: 'cus_old' })
      await billing.subscriptions.create({ customer_id: 'cus_old', plan_code: 'p', start_at: JAN })
      now = Date.UTC(2027, 1, 1, 2)
      const { finalized } = await billing.invoices.run()
      expect(finalized.find((i) => i.billing_reason === 'subscription_cycle')?.total).toBe(500)
      expect(await billing.payments.list({ customer_id: 'cus_old' })).toMatchObject({ data: [] })
    } finally {
      await billing.close()
    }
  },
)

const H = 3_600_000
const JAN = Date.UTC(2027, 0, 1)
const LONG = 'u'.repeat(100)
const LOOKALIKE = '~sha256:not-a-hash'

/** A 0003 store (before byte-exact strings and bounded unique values) with a unique-count meter and its rollups. */
async function seedOlderStore(config: StoreConfig): Promise<void> {
  const { db, quirks } = await connect(config)
  await migrateFirst(db, quirks, 3)
  const meter = {
    code: 'visitors',
    name: null,
    event_name: 'visit',
    aggregation: 'unique_count',
    property: 'user',
    filters: null,
    created_at: new Date(JAN).toISOString(),
  }
  await sql`insert into ${table(quirks, TABLE.meters)} (code, definition, created_at, creation_order)
    values (${'visitors'}, ${JSON.stringify(meter)}, ${meter.created_at}, ${1})`.execute(db)
  await sql`update ${table(quirks, TABLE.state)} set meters_version = ${1}`.execute(db)
  const values = [LONG, LOOKALIKE]
  for (const [i, user] of values.entries()) {
    await sql`insert into ${table(quirks, TABLE.events)} (idempotency_key, customer_id, event_name, timestamp, properties, payload_hash, received_at)
      values (${`old_${i}`}, ${'cus_old'}, ${'visit'}, ${JAN + i}, ${JSON.stringify({ user })}, ${`h${i}`}, ${JAN})`.execute(
      db,
    )
    await sql`insert into ${table(quirks, TABLE.rollupValues)} (meter, customer_id, bucket, value)
      values (${'visitors'}, ${'cus_old'}, ${JAN}, ${user})`.execute(db)
  }
  await sql`insert into ${table(quirks, TABLE.rollups)} (meter, customer_id, bucket, count)
    values (${'visitors'}, ${'cus_old'}, ${JAN}, ${values.length})`.execute(db)
  await db.destroy()
}

/** The collation of every string column of kobometer's tables (MySQL/MariaDB). */
async function mysqlCollations(config: StoreConfig): Promise<string[]> {
  const { db } = await connect(config)
  try {
    const { rows } = await sql<{
      name: string
      collation: string
    }>`select concat(TABLE_NAME, '.', COLUMN_NAME) as name, COLLATION_NAME as collation
      from information_schema.COLUMNS where TABLE_SCHEMA = database() and COLLATION_NAME is not null
      and TABLE_NAME like 'kobometer%' and TABLE_NAME not like 'kobometer_migration%'`.execute(db)
    return rows.map((row) => row.collation)
  } finally {
    await db.destroy()
  }
}

// A store of the release before byte-exact strings is upgraded in place: its keys, ids and
// unique-count values compare byte for byte afterwards, and its stored values meet new events.
onEachSqlTarget(
  'upgrading a 0003 store',
  'compares keys and ids byte for byte and counts old unique values with new ones',
  async (config) => {
    await seedOlderStore(config)
    const billing = await createBilling({ storage: await openStorage(config), clock: () => JAN + H })
    try {
      const usage = async () =>
        (await billing.usage.get({ customer_id: 'cus_old', meter: 'visitors', from: JAN, to: JAN + H }))
          .precise_quantity
      expect(await usage()).toBe('2')
      const visit = (key: string, user: string) => ({
        idempotency_key: key,
        customer_id: 'cus_old',
        event_name: 'visit',
        timestamp: JAN + 10,
        properties: { user },
      })
      const r = await billing.events.ingest({
        events: [visit('old_0 ', LONG), visit('new_1', LOOKALIKE), visit('new_2', LONG)],
      })
      expect(r.results.map((x) => x.status)).toEqual(['accepted', 'accepted', 'accepted'])
      expect(await usage()).toBe('2')
      await billing.customers.create({ id: 'cus_old' })
      await billing.customers.create({ id: 'cus_old ' })
      expect((await billing.customers.list({ limit: 10 })).data.map((c) => c.id)).toEqual([
        'cus_old',
        'cus_old ',
      ])
    } finally {
      await billing.close()
    }
    expect(uniqueValueKey(LONG)).not.toBe(LONG)
    if (config.kind === 'mysql') {
      const collations = await mysqlCollations(config)
      expect(collations.length).toBeGreaterThan(20)
      expect(collations.filter((c) => !NO_PAD_BINARY_COLLATIONS.includes(c))).toEqual([])
    }
  },
)
