import fc from 'fast-check'
import { describe, expect } from 'vitest'
import type { Aggregation } from '../../core/meters/types.js'
import { naiveUsage, type OracleEvent, type OracleMeter } from '../oracle.js'
import { type ConformanceContext, SUITE_NOW } from './context.js'

const H = 3_600_000
const M = 60_000
const START = SUITE_NOW - 72 * H

/** Usage windows: exact at millisecond boundaries, against a brute-force oracle. */
export function usageTests(t: ConformanceContext): void {
  const { it } = t
  describe('usage.get', () => {
    it('matches a brute-force scan for every aggregation over random millisecond windows', async () => {
      const ns = t.unique('oracle')
      const b = t.billing()
      const meters: Array<OracleMeter & { code: string }> = (
        ['count', 'sum', 'min', 'max', 'unique_count', 'latest'] as Aggregation[]
      ).map((aggregation) => ({
        code: `${ns}${aggregation}`,
        event_name: `${ns}call`,
        aggregation,
        ...(aggregation === 'count' ? {} : { property: aggregation === 'unique_count' ? 'user' : 'v' }),
      }))
      meters.push({
        code: `${ns}filtered`,
        event_name: `${ns}call`,
        aggregation: 'sum',
        property: 'v',
        filters: { tier: ['gold'] },
      })
      // Half the meters exist before the events (live rollups), half after (backfill).
      const [before, after] = [meters.slice(0, 4), meters.slice(4)]
      for (const m of before) await b.meters.create(m)

      const events: OracleEvent[] = fc
        .sample(
          fc.record({
            offset: fc.integer({ min: 0, max: 72 * H - 1 }),
            customer: fc.constantFrom('a', 'b'),
            v: fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.constantFrom('0.1', '0.25', '12.5', 'n/a')),
            user: fc.constantFrom('u1', 'u2', 'u3', 'u4'),
            tier: fc.constantFrom('gold', 'silver'),
          }),
          { numRuns: 600, seed: 42 },
        )
        .map((e, i) => ({
          idempotency_key: `${ns}${i}`,
          customer_id: `${ns}${e.customer}`,
          event_name: `${ns}call`,
          // Cluster some events on exact hour and minute boundaries and the same millisecond.
          timestamp:
            START +
            (i % 10 === 0
              ? Math.floor(e.offset / H) * H
              : i % 10 === 1
                ? 5 * H
                : i % 10 === 2
                  ? Math.floor(e.offset / M) * M
                  : e.offset),
          properties: { v: e.v, user: e.user, tier: e.tier },
        }))
      for (let i = 0; i < events.length; i += 250) await b.events.ingest({ events: events.slice(i, i + 250) })
      for (const m of after) await b.meters.create(m)

      const windowArb = fc
        .tuple(
          fc.integer({ min: -H, max: 73 * H }),
          fc.integer({ min: 0, max: 30 * H }),
          fc.constantFrom(0, 1, 2, 3, 4),
        )
        .map(([from, length, snap]) => {
          // Edges on hours, on minutes, or anywhere (minute rollups, where kept, serve the middle).
          const f =
            START + (snap === 1 ? Math.round(from / H) * H : snap === 3 ? Math.round(from / M) * M : from)
          const to =
            f + (snap === 2 ? Math.round(length / H) * H : snap >= 3 ? Math.round(length / M) * M : length)
          return { from: f, to }
        })
      await fc.assert(
        fc.asyncProperty(
          windowArb,
          fc.constantFrom('a', 'b'),
          fc.constantFrom(...meters),
          async (w, c, meter) => {
            const customer = `${ns}${c}`
            const u = await b.usage.get({ customer_id: customer, meter: meter.code, from: w.from, to: w.to })
            expect(u.precise_quantity).toBe(naiveUsage(events, meter, customer, w.from, w.to))
          },
        ),
        { numRuns: 150, seed: 7 },
      )
    })

    it('treats windows as half-open: an event at exactly `to` belongs to the next window', async () => {
      const ns = t.unique('halfopen')
      const b = t.billing()
      await b.meters.create({ code: `${ns}calls`, event_name: `${ns}call`, aggregation: 'count' })
      const at = SUITE_NOW - 5 * H + 1234
      await b.events.ingest({
        events: [
          { event_name: `${ns}call`, customer_id: `${ns}c`, idempotency_key: `${ns}x`, timestamp: at },
        ],
      })
      const q = (from: number, to: number) =>
        b.usage.get({ customer_id: `${ns}c`, meter: `${ns}calls`, from, to }).then((u) => u.quantity)
      expect(await q(at - 10 * H, at)).toBe(0)
      expect(await q(at, at + 1)).toBe(1)
      expect(await q(at + 1, at + 10 * H)).toBe(0)
      expect(await q(at, at)).toBe(0)
    })

    it('answers ISO times back in UTC and refuses a reversed window', async () => {
      const ns = t.unique('iso')
      const b = t.billing()
      await b.meters.create({ code: `${ns}m`, event_name: 'e', aggregation: 'count' })
      const u = await b.usage.get({
        customer_id: 'c',
        meter: `${ns}m`,
        from: '2026-01-01',
        to: '2026-02-01T01:00:00+01:00',
      })
      expect([u.from, u.to, u.quantity]).toEqual(['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', 0])
      await expect(b.usage.get({ customer_id: 'c', meter: `${ns}m`, from: 10, to: 5 })).rejects.toMatchObject(
        {
          code: 'INVALID_WINDOW',
        },
      )
    })
  })
}
