import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TABLE } from '../../src/adapters/kysely/schema.js'
import { type Billing, createBilling } from '../../src/index.js'
import { connect, table } from '../support/older-store.js'
import { mysqlTarget, openStorage, postgresTarget, type StoreConfig } from '../support/targets.js'

const HOUR = Date.UTC(2027, 2, 3, 10)

// Where writers run concurrently, each append transaction writes its rollups to one of a few
// shards: one customer's hour ends up split over several rows, and every read folds them back.
for (const target of [postgresTarget, mysqlTarget]) {
  describe.skipIf(target.skip)(
    `rollup shards on ${target.name}${target.skip ? ` (skipped: ${target.skip})` : ''}`,
    () => {
      let config: StoreConfig
      let destroy: () => Promise<void>
      let billing: Billing
      const values = Array.from({ length: 2000 }, (_, i) => ((i * 37) % 101) + 0.5)
      beforeAll(async () => {
        ;({ config, destroy } = await target.fresh())
        billing = await createBilling({ storage: await openStorage(config), clock: () => HOUR + 3_600_000 })
        await billing.meters.create({ code: 'calls', event_name: 'call', aggregation: 'count' })
        for (const aggregation of ['sum', 'min', 'max', 'latest'] as const)
          await billing.meters.create({
            code: `ms_${aggregation}`,
            event_name: 'call',
            aggregation,
            property: 'ms',
          })
        // Eight concurrent calls of 250 events: group commit splits them over its concurrent
        // transactions, each writing its own shard.
        const event = (i: number) => ({
          event_name: 'call',
          customer_id: i % 2 === 0 ? 'cus_a' : 'cus_b',
          idempotency_key: `k${i}`,
          timestamp: HOUR + i * 1000,
          properties: { ms: String(values[i]) },
        })
        await Promise.all(
          Array.from({ length: 8 }, (_, call) =>
            billing.events.ingest({ events: Array.from({ length: 250 }, (_, j) => event(call * 250 + j)) }),
          ),
        )
      }, 120_000)
      afterAll(async () => {
        await billing?.close()
        await destroy?.()
      }, 60_000)

      it('splits an hour over several shards, except latest values, which stay in shard 0', async () => {
        const { db, quirks } = await connect(config)
        try {
          const { rows } = await sql<{ meter: string; shards: number | string; top: number | string }>`
            SELECT meter, COUNT(*) AS shards, MAX(shard) AS top FROM ${table(quirks, TABLE.rollups)}
            WHERE customer_id = ${'cus_a'} GROUP BY meter ORDER BY meter`.execute(db)
          const byMeter = new Map(
            rows.map((r) => [r.meter, { shards: Number(r.shards), top: Number(r.top) }]),
          )
          expect(byMeter.get('calls')?.shards).toBeGreaterThan(1)
          expect(byMeter.get('ms_sum')?.shards).toBeGreaterThan(1)
          expect(byMeter.get('ms_latest')).toEqual({ shards: 1, top: 0 })
        } finally {
          await db.destroy()
        }
      })

      it('reads every shard back: usage, one customer by hour, all customers by hour', async () => {
        const of = (customer: 'cus_a' | 'cus_b') =>
          values.filter((_, i) => (customer === 'cus_a' ? i % 2 === 0 : i % 2 === 1))
        const expected = (meter: string, ms: number[]): string => {
          if (meter === 'calls') return String(ms.length)
          if (meter === 'ms_sum') return String(ms.reduce((a, b) => a + b, 0))
          if (meter === 'ms_min') return String(Math.min(...ms))
          if (meter === 'ms_max') return String(Math.max(...ms))
          return String(ms.at(-1))
        }
        for (const meter of ['calls', 'ms_sum', 'ms_min', 'ms_max', 'ms_latest']) {
          for (const customer of ['cus_a', 'cus_b'] as const) {
            const usage = await billing.usage.get({
              customer_id: customer,
              meter,
              from: HOUR,
              to: HOUR + 3_600_000,
            })
            expect(usage.precise_quantity, `${meter} ${customer}`).toBe(expected(meter, of(customer)))
            const series = await billing.usage.series({
              meter,
              customer_id: customer,
              from: HOUR,
              to: HOUR + 1,
            })
            expect(series.points.map((p) => p.precise_quantity)).toEqual([expected(meter, of(customer))])
          }
          const all = await billing.usage.series({ meter, from: HOUR, to: HOUR + 1 })
          const combined =
            meter === 'ms_latest'
              ? String(Number(expected(meter, of('cus_a'))) + Number(expected(meter, of('cus_b'))))
              : expected(meter, values)
          expect(
            all.points.map((p) => p.precise_quantity),
            meter,
          ).toEqual([combined])
        }
        const top = await billing.usage.top({ meter: 'calls', from: HOUR, to: HOUR + 3_600_000 })
        expect(top.data.map((c) => [c.customer_id, c.precise_quantity])).toEqual([
          ['cus_a', '1000'],
          ['cus_b', '1000'],
        ])
      })
    },
  )
}
