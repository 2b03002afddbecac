import { CompiledQuery } from 'kysely'
import { expect, it } from 'vitest'
import { ROLLUPS_BY_BUCKET_INDEX } from '../../src/adapters/kysely/schema.js'
import { sqliteQuirks } from '../../src/adapters/kysely/sqlite/sqlite-quirks.js'
import { statementSet } from '../../src/adapters/kysely/statement-set.js'
import { compileMeterEffects } from '../../src/core/meters/meter-effects.js'
import type { Aggregation } from '../../src/core/meters/types.js'
import { Decimal } from '../../src/core/money/decimal.js'
import type { Storage } from '../../src/core/ports/index.js'
import { event, HOUR, meter, T0 } from '../../src/testing/ports/port-fixtures.js'
import { connect, onEachSqlTarget } from '../support/older-store.js'
import { describeSqlitePlans } from '../support/sqlite-plans.js'
import { openStorage } from '../support/targets.js'

const METERS: ReadonlyArray<readonly [code: string, aggregation: Aggregation]> = [
  ['calls', 'count'],
  ['tokens', 'sum'],
  ['last', 'latest'],
  ['visitors', 'unique_count'],
]

async function createMeters(storage: Storage): Promise<void> {
  for (const [code, aggregation] of METERS)
    await storage.meters.insert(
      { ...meter('', code, aggregation === 'count' ? undefined : 'tokens'), aggregation },
      compileMeterEffects,
    )
}

/** 200 events over 10 customers and 4 hours, appended in 20 concurrent batches by two storages. */
async function appendFromTwo(a: Storage, b: Storage): Promise<void> {
  const events = Array.from({ length: 200 }, (_, i) => {
    const tokens = new Decimal(i % 13).dividedBy(8).toFixed()
    return event('', `e${i}`, `cus_${i % 10}`, T0 + (i % 4) * HOUR + i, {
      properties: { tokens },
      properties_json: JSON.stringify({ tokens }),
    })
  })
  const batches = Array.from({ length: 20 }, (_, n) => events.slice(n * 10, n * 10 + 10))
  const outcomes = await Promise.all(
    batches.map((batch, n) => (n % 2 === 0 ? a : b).events.append(batch, compileMeterEffects)),
  )
  expect(new Set(outcomes.flat().map((o) => o.status))).toEqual(new Set(['accepted']))
}

type Row = Record<string, unknown>

// The hourly totals as stored: written in the rollups' transaction, one row per meter, hour and
// shard, for the meters whose totals add up across customers; their shards add up to the rollups.
onEachSqlTarget(
  'hourly totals',
  'hold each hour of count and sum meters across customers, shards adding up to the rollups',
  async (config) => {
    const a = await openStorage(config)
    const b = await openStorage(config)
    try {
      await a.migrate()
      await createMeters(a)
      await appendFromTwo(a, b)
      // A read merges what SQLite deferred, so the tables below hold every append.
      await a.meters.usageSeries({ meter: 'calls', aggregation: 'count', from: 0, to: 1 })
    } finally {
      await a.close()
      await b.close()
    }
    const { db, quirks } = await connect(config)
    try {
      const read = async (text: string): Promise<Row[]> =>
        (await db.executeQuery<Row>(CompiledQuery.raw(text))).rows
      const hours = await read(
        `SELECT meter, bucket, shard, count, ${quirks.decimalText('sum')} AS sum FROM ${quirks.tables.meterHours}`,
      )
      const rollups = await read(
        `SELECT meter, bucket, count, ${quirks.decimalText('sum')} AS sum FROM ${quirks.tables.rollups}`,
      )
      const fold = (rows: Row[]) => {
        const out = new Map<string, { count: number; sum: Decimal | null }>()
        for (const row of rows) {
          const key = `${String(row.meter)} ${Number(row.bucket)}`
          const kept = out.get(key) ?? { count: 0, sum: null }
          kept.count += Number(row.count)
          if (row.sum !== null) kept.sum = (kept.sum ?? new Decimal(0)).plus(String(row.sum))
          out.set(key, kept)
        }
        return new Map([...out].map(([k, v]) => [k, { count: v.count, sum: v.sum?.toFixed() ?? null }]))
      }
      const additive = rollups.filter((row) => row.meter === 'calls' || row.meter === 'tokens')
      expect(new Set(hours.map((row) => row.meter))).toEqual(new Set(['calls', 'tokens']))
      expect(fold(hours)).toEqual(fold(additive))
      expect(fold(hours).get(`calls ${T0}`)).toEqual({ count: 50, sum: null })
      for (const row of hours) expect(Number(row.shard)).toBeLessThan(quirks.meterHourShards)
    } finally {
      await db.destroy()
    }
  },
)

describeSqlitePlans('top customers on SQLite', (plan) => {
  it("finds the window's customers through the (meter, bucket, customer_id) index", () => {
    const top = statementSet(sqliteQuirks).usage.top({
      meter: 'calls',
      aggregation: 'count',
      from: T0,
      to: T0 + 24 * HOUR,
      limit: 10,
    })
    // The window's customers from the index alone, then each one's hours by primary key.
    expect(plan(top)).toContainEqual(
      `SEARCH kobometer_rollups USING COVERING INDEX ${ROLLUPS_BY_BUCKET_INDEX} (meter=? AND bucket>? AND bucket<?)`,
    )
    expect(plan(top)).toContainEqual(
      'SEARCH r USING PRIMARY KEY (meter=? AND customer_id=? AND bucket>? AND bucket<?)',
    )
  })
})
