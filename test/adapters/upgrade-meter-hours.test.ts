import { sql } from 'kysely'
import { expect } from 'vitest'
import { TABLE } from '../../src/adapters/kysely/schema.js'
import { compileMeterEffects } from '../../src/core/meters/meter-effects.js'
import type { Aggregation, Meter } from '../../src/core/meters/types.js'
import { Decimal } from '../../src/core/money/decimal.js'
import type { Storage, UsagePoint } from '../../src/core/ports/index.js'
import { event } from '../../src/testing/ports/port-fixtures.js'
import { connect, migrateFirst, onEachSqlTarget, table } from '../support/older-store.js'
import { openStorage, type StoreConfig } from '../support/targets.js'

const H = 3_600_000
const JAN = Date.UTC(2027, 0, 1)
const CUSTOMERS = ['cus_a', 'cus_b', 'cus_c']
const HOURS = [JAN, JAN + H, JAN + 2 * H]
const METERS: Record<Aggregation, string> = {
  count: 'calls',
  sum: 'tokens',
  min: 'low',
  max: 'high',
  latest: 'last',
  unique_count: 'visitors',
}

// A quantity per customer and hour: decimal, different for each, some equal across customers.
const value = (c: number, h: number) => new Decimal((c * 7 + h * 3) % 10).dividedBy(4).plus('0.1').toFixed()

/** A 0011 store (before the hourly totals) with a meter of each aggregation and their rollups. */
async function seed0011Store(config: StoreConfig): Promise<void> {
  const { db, quirks } = await connect(config)
  await migrateFirst(db, quirks, 11)
  let order = 0
  for (const [aggregation, code] of Object.entries(METERS) as [Aggregation, string][]) {
    const meter: Meter = {
      code,
      name: null,
      event_name: 'call',
      aggregation,
      property: aggregation === 'count' ? null : 'tokens',
      filters: null,
      created_at: new Date(JAN).toISOString(),
    }
    order += 1
    await sql`insert into ${table(quirks, TABLE.meters)} (code, definition, created_at, creation_order)
      values (${code}, ${JSON.stringify(meter)}, ${meter.created_at}, ${order})`.execute(db)
  }
  await sql`update ${table(quirks, TABLE.state)} set meters_version = ${order}`.execute(db)
  for (const [c, customer] of CUSTOMERS.entries()) {
    for (const [h, bucket] of HOURS.entries()) {
      // Customer a has no usage in the last hour; the others have one or two events an hour.
      if (c === 0 && h === 2) continue
      const count = 1 + ((c + h) % 2)
      const v = value(c, h)
      const rollup = (code: string, sum: string | null, min: string | null, max: string | null) =>
        sql`insert into ${table(quirks, TABLE.rollups)} (meter, customer_id, bucket, count, sum, min, max)
          values (${code}, ${customer}, ${bucket}, ${count}, ${sum}, ${min}, ${max})`.execute(db)
      await rollup(METERS.count, null, null, null)
      await rollup(METERS.sum, new Decimal(v).times(count).toFixed(), null, null)
      await rollup(METERS.min, null, v, null)
      await rollup(METERS.max, null, null, new Decimal(v).plus(c).toFixed())
      await sql`insert into ${table(quirks, TABLE.rollups)} (meter, customer_id, bucket, count, latest_ts, latest_key, latest_value)
        values (${METERS.latest}, ${customer}, ${bucket}, ${count}, ${bucket + 1}, ${`k_${c}_${h}`}, ${v})`.execute(
        db,
      )
      await sql`insert into ${table(quirks, TABLE.rollups)} (meter, customer_id, bucket, count)
        values (${METERS.unique_count}, ${customer}, ${bucket}, ${count})`.execute(db)
      for (let i = 0; i < count; i++)
        await sql`insert into ${table(quirks, TABLE.rollupValues)} (meter, customer_id, bucket, value)
          values (${METERS.unique_count}, ${customer}, ${bucket}, ${`u_${i}`})`.execute(db)
    }
  }
  await db.destroy()
}

/** Each hour's per-customer quantities combined as the all-customer series combines them. */
async function combinedPerCustomer(storage: Storage, aggregation: Aggregation): Promise<UsagePoint[]> {
  const hours = new Map<number, Decimal>()
  for (const customer_id of [...CUSTOMERS, 'cus_new']) {
    const own = await storage.meters.usageSeries({
      meter: METERS[aggregation],
      aggregation,
      customer_id,
      from: JAN,
      to: JAN + 3 * H,
    })
    for (const { hour, quantity } of own) {
      const kept = hours.get(hour)
      const q = new Decimal(quantity)
      if (kept === undefined) hours.set(hour, q)
      else if (aggregation === 'min') hours.set(hour, Decimal.min(kept, q))
      else if (aggregation === 'max') hours.set(hour, Decimal.max(kept, q))
      else hours.set(hour, kept.plus(q))
    }
  }
  return [...hours].sort(([a], [b]) => a - b).map(([hour, q]) => ({ hour, quantity: q.toFixed() }))
}

async function expectSeriesAsPerCustomer(storage: Storage): Promise<void> {
  for (const aggregation of Object.keys(METERS) as Aggregation[]) {
    const all = await storage.meters.usageSeries({
      meter: METERS[aggregation],
      aggregation,
      from: JAN,
      to: JAN + 3 * H,
    })
    expect(all, aggregation).toHaveLength(3)
    expect(all, aggregation).toEqual(await combinedPerCustomer(storage, aggregation))
  }
}

/** The all-customer count of `calls` in each of the seed's three hours. */
const callsByHour = async (storage: Storage): Promise<string[]> =>
  (
    await storage.meters.usageSeries({ meter: 'calls', aggregation: 'count', from: JAN, to: JAN + 3 * H })
  ).map((p) => p.quantity)

// A store of the release before the hourly totals is upgraded in place: the totals are backfilled
// from its rollups, so the all-customer series answers what it answered from the rollups, and
// events appended afterwards add to the backfilled hours.
onEachSqlTarget(
  'upgrading a 0011 store',
  'backfills the hourly totals from the rollups; later events add to them',
  async (config) => {
    await seed0011Store(config)
    const storage = await openStorage(config)
    try {
      await storage.migrate()
      await expectSeriesAsPerCustomer(storage)
      // Counts of the seed by hour: 1, 2, none (a) / 2, 1, 2 (b) / 1, 2, 1 (c).
      expect(await callsByHour(storage)).toEqual(['4', '5', '3'])
      const fresh = (key: string, customer: string, at: number, tokens: string) =>
        event('', key, customer, at, {
          properties: { tokens },
          properties_json: JSON.stringify({ tokens }),
        })
      const outcomes = await storage.events.append(
        [
          fresh('new_1', 'cus_a', JAN + 2 * H + 5, '0.01'),
          fresh('new_2', 'cus_new', JAN + H + 5, '100.5'),
          fresh('new_3', 'cus_b', JAN + 10, '0.2'),
        ],
        compileMeterEffects,
      )
      expect(outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted', 'accepted'])
      await expectSeriesAsPerCustomer(storage)
      expect(await callsByHour(storage)).toEqual(['5', '6', '4'])
    } finally {
      await storage.close()
    }
  },
)
