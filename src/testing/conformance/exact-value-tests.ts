import { randomBytes } from 'node:crypto'
import { describe, expect } from 'vitest'
import type { Aggregation } from '../../core/meters/types.js'
import { UNIQUE_VALUE_HASH_PREFIX, uniqueValueKey } from '../../core/meters/unique-value.js'
import { Decimal } from '../../core/money/decimal.js'
import { type ConformanceContext, SUITE_NOW } from './context.js'

const MAX = '99999999999999999999.999999999999999999999999999999'
const TINY = '0.000000000000000000000000000001'

/** Unique-count values of any length and decimals at the edges of validation, stored without loss. */
export function exactValueTests(t: ConformanceContext): void {
  const { it } = t
  describe('values are stored without loss', () => {
    const meter = async (ns: string, aggregation: Aggregation, property: string) => {
      await t
        .billing()
        .meters.create({ code: `${ns}${aggregation}`, event_name: `${ns}call`, aggregation, property })
      return `${ns}${aggregation}`
    }
    const ingest = async (ns: string, values: readonly (string | number)[], property: string) => {
      const events = values.map((value, i) => ({
        event_name: `${ns}call`,
        customer_id: `${ns}cus`,
        idempotency_key: `${ns}${i}`,
        timestamp: SUITE_NOW - 60_000 + i,
        properties: { [property]: value },
      }))
      const r = await t.billing().events.ingest({ events })
      expect(r.results.filter((x) => x.status !== 'accepted')).toEqual([])
    }
    const usage = async (ns: string, code: string, from = SUITE_NOW - 3_600_000, to = SUITE_NOW) =>
      (await t.billing().usage.get({ customer_id: `${ns}cus`, meter: code, from, to })).precise_quantity

    it('counts two 300-character unique values that differ only in their last character as two', async () => {
      const ns = t.unique('longvalue')
      const code = await meter(ns, 'unique_count', 'user')
      const long = 'u'.repeat(299)
      await ingest(ns, [`${long}a`, `${long}b`, `${long}a`], 'user')
      expect(await usage(ns, code)).toBe('2')
      // A window edge inside the bucket recounts from the events: it must agree with the rollups.
      expect(await usage(ns, code, SUITE_NOW - 60_000, SUITE_NOW - 60_000 + 2)).toBe('2')
    })

    it('accepts and counts an 8,000-byte incompressible unique value', async () => {
      const ns = t.unique('hugevalue')
      const code = await meter(ns, 'unique_count', 'user')
      const huge = randomBytes(6000).toString('base64url')
      expect(huge).toHaveLength(8000)
      await ingest(ns, [huge, `${huge.slice(0, -1)}!`, huge], 'user')
      expect(await usage(ns, code)).toBe('2')
    })

    it('does not confuse a value that looks hashed with the value it looks like the hash of', async () => {
      const ns = t.unique('prefixvalue')
      const code = await meter(ns, 'unique_count', 'user')
      const long = 'v'.repeat(100)
      const lookalike = uniqueValueKey(long)
      expect(lookalike.startsWith(UNIQUE_VALUE_HASH_PREFIX)).toBe(true)
      await ingest(ns, [long, lookalike, UNIQUE_VALUE_HASH_PREFIX, long], 'user')
      expect(await usage(ns, code)).toBe('3')
    })

    it('sums, minimizes, maximizes and keeps the latest of 20-integer-digit, 30-fractional-digit decimals exactly', async () => {
      const ns = t.unique('edges')
      const codes = {
        sum: await meter(ns, 'sum', 'v'),
        min: await meter(ns, 'min', 'v'),
        max: await meter(ns, 'max', 'v'),
        latest: await meter(ns, 'latest', 'v'),
      }
      const values = [
        ...Array.from({ length: 40 }, () => MAX),
        ...Array.from({ length: 40 }, () => TINY),
        `-${MAX}`,
        TINY,
      ]
      await ingest(ns, values, 'v')
      const total = values.reduce((acc, v) => acc.plus(v), new Decimal(0)).toFixed()
      expect(total).toBe('3900000000000000000000.000000000000000000000000000002')
      expect(await usage(ns, codes.sum)).toBe(total)
      expect(await usage(ns, codes.min)).toBe(`-${MAX}`)
      expect(await usage(ns, codes.max)).toBe(MAX)
      expect(await usage(ns, codes.latest)).toBe(TINY)
    })

    it('adds the smallest accepted fractions without rounding them away', async () => {
      const ns = t.unique('tiny')
      const code = await meter(ns, 'sum', 'v')
      await ingest(ns, [TINY, TINY, TINY], 'v')
      expect(await usage(ns, code)).toBe('0.000000000000000000000000000003')
    })
  })
}
