import { describe, expect } from 'vitest'
import type { PropertyValue } from '../../core/events/types.js'
import { type ConformanceContext, SUITE_NOW } from './context.js'

const H = 3_600_000

/** Meters: every aggregation, filters, warnings, backfill, errors. */
export function meterTests(t: ConformanceContext): void {
  const { it } = t
  describe('meters', () => {
    it('aggregates count, sum, min, max, unique_count and latest exactly', async () => {
      const ns = t.unique('agg')
      const b = t.billing()
      const name = `${ns}call`
      for (const aggregation of ['count', 'sum', 'min', 'max', 'unique_count', 'latest'] as const) {
        await b.meters.create({
          code: `${ns}${aggregation}`,
          event_name: name,
          aggregation,
          ...(aggregation === 'count' ? {} : { property: aggregation === 'unique_count' ? 'user' : 'v' }),
        })
      }
      const base = SUITE_NOW - 10 * H
      const values = ['0.1', 0.2, '0.3', 7, '-2.5', 0.1, 0.1, 0.1, 0.1, 0.1]
      await b.events.ingest({
        events: values.map((v, i) => ({
          event_name: name,
          customer_id: `${ns}cus`,
          idempotency_key: `${ns}${i}`,
          timestamp: base + (i === 2 ? 9 * 60_000 : i * 60_000),
          properties: { v, user: `u${i % 3}` },
        })),
      })
      const usage = async (aggregation: string) =>
        (
          await b.usage.get({
            customer_id: `${ns}cus`,
            meter: `${ns}${aggregation}`,
            from: base - H,
            to: base + 2 * H,
          })
        ).precise_quantity
      expect(await usage('count')).toBe('10')
      expect(await usage('sum')).toBe('5.6') // 0.1 + 0.2 + 0.3 + 7 - 2.5 + 5 × 0.1
      expect(await usage('min')).toBe('-2.5')
      expect(await usage('max')).toBe('7')
      expect(await usage('unique_count')).toBe('3')
      // events 2 and 9 share the latest timestamp (base + 9 min); the greater key wins: `${ns}9`
      expect(await usage('latest')).toBe('0.1')
    })

    it('counts only events that pass the filters, and warns about unusable properties', async () => {
      const ns = t.unique('filters')
      const b = t.billing()
      await b.meters.create({
        code: `${ns}large_tokens`,
        event_name: `${ns}call`,
        aggregation: 'sum',
        property: 'tokens',
        filters: { model: ['large', 'xl'] },
      })
      const properties: Array<Record<string, PropertyValue>> = [
        { model: 'large', tokens: 100 },
        { model: 'small', tokens: 1000 },
        { model: 'xl', tokens: 'lots' },
        { model: 'xl' },
        { model: 'xl', tokens: '50.5' },
      ]
      const r = await b.events.ingest({
        events: properties.map((props, i) => ({
          event_name: `${ns}call`,
          customer_id: `${ns}cus`,
          idempotency_key: `${ns}${i}`,
          timestamp: SUITE_NOW - H,
          properties: props,
        })),
      })
      expect(r.accepted).toBe(5)
      expect(r.warnings.map((w) => [w.index, w.code])).toEqual([
        [2, 'PROPERTY_NOT_NUMERIC'],
        [3, 'PROPERTY_MISSING'],
      ])
      const u = await b.usage.get({
        customer_id: `${ns}cus`,
        meter: `${ns}large_tokens`,
        from: 0,
        to: SUITE_NOW,
      })
      expect(u.precise_quantity).toBe('150.5')
      expect(u.quantity).toBe(150.5)
    })

    it('counts events that arrived before the meter was created (backfill)', async () => {
      const ns = t.unique('backfill')
      const b = t.billing()
      await b.events.ingest({
        events: Array.from({ length: 25 }, (_, i) => ({
          event_name: `${ns}call`,
          customer_id: `${ns}cus`,
          idempotency_key: `${ns}${i}`,
          timestamp: SUITE_NOW - i * 7 * 60_000,
          properties: { tokens: i },
        })),
      })
      await b.meters.create({
        code: `${ns}tokens`,
        event_name: `${ns}call`,
        aggregation: 'sum',
        property: 'tokens',
      })
      const u = await b.usage.get({
        customer_id: `${ns}cus`,
        meter: `${ns}tokens`,
        from: 0,
        to: SUITE_NOW + 1,
      })
      expect(u.quantity).toBe(300)
      await b.events.ingest({
        events: [
          {
            event_name: `${ns}call`,
            customer_id: `${ns}cus`,
            idempotency_key: `${ns}late`,
            properties: { tokens: 1 },
          },
        ],
      })
      expect(
        (await b.usage.get({ customer_id: `${ns}cus`, meter: `${ns}tokens`, from: 0, to: SUITE_NOW + 1 }))
          .quantity,
      ).toBe(301)
    })

    it('gets and lists meters; refuses a taken code, an unknown meter and a malformed definition', async () => {
      const ns = t.unique('crud')
      const b = t.billing()
      const created = await b.meters.create({ code: `${ns}m`, event_name: 'x', aggregation: 'count' })
      expect(created).toMatchObject({ code: `${ns}m`, aggregation: 'count', property: null, filters: null })
      expect(await b.meters.get(`${ns}m`)).toEqual(created)
      expect((await b.meters.list()).map((m) => m.code)).toContain(`${ns}m`)
      await expect(
        b.meters.create({ code: `${ns}m`, event_name: 'y', aggregation: 'count' }),
      ).rejects.toMatchObject({
        code: 'CONFLICT',
      })
      await expect(b.meters.get(`${ns}nope`)).rejects.toMatchObject({
        code: 'NOT_FOUND',
        details: { id: `${ns}nope` },
      })
      await expect(
        b.meters.create({ code: `${ns}s`, event_name: 'x', aggregation: 'sum' }),
      ).rejects.toMatchObject({ code: 'INVALID_METER', details: { path: 'property' } })
      await expect(
        b.usage.get({ customer_id: 'c', meter: `${ns}nope`, from: 0, to: 1 }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' })
    })
  })
}
