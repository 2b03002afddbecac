import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Decimal } from '../money/decimal.js'
import { aggregateDeltas, emptyRollup, RollupAccumulator } from './rollup.js'
import type { RollupDelta } from './types.js'

const valueArb = fc.oneof(
  fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n }).map(String), // the integer fast path, near overflow
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String), // beyond safe integers
  fc
    .tuple(fc.integer({ min: -1000, max: 1000 }), fc.nat(999))
    .map(([w, f]) => `${w}.${String(f).padStart(3, '0')}`),
)

describe('RollupAccumulator', () => {
  it('sums exactly, whatever mix of small integers, huge integers and decimals it is given', () => {
    fc.assert(
      fc.property(fc.array(valueArb, { maxLength: 60 }), (values) => {
        const acc = new RollupAccumulator()
        for (const v of values) acc.add({ ...emptyRollup(), count: 1, sum: v })
        const exact = values.reduce((a, v) => a.plus(v), new Decimal(0))
        expect(acc.result().sum).toBe(values.length ? exact.toFixed() : null)
        expect(acc.result().count).toBe(values.length)
      }),
    )
  })

  it('keeps min, max, latest and distinct values', () => {
    const acc = new RollupAccumulator()
    acc.add({
      ...emptyRollup(),
      count: 1,
      min: '5',
      max: '5',
      values: ['a'],
      latest: { timestamp: 2, key: 'k1', value: '5' },
    })
    acc.add({
      ...emptyRollup(),
      count: 1,
      min: '-0.5',
      max: '1e3',
      values: ['a', 'b'],
      latest: { timestamp: 2, key: 'k2', value: '7' },
    })
    expect(acc.result()).toEqual({
      count: 2,
      sum: null,
      min: '-0.5',
      max: '1000',
      latest: { timestamp: 2, key: 'k2', value: '7' },
      values: ['a', 'b'],
    })
  })
})

describe('aggregateDeltas', () => {
  it('folds deltas to one per (meter, customer, bucket), in key order', () => {
    const d = (meter: string, customer_id: string, bucket: number, sum: string): RollupDelta => ({
      ...emptyRollup(),
      meter,
      customer_id,
      bucket,
      count: 1,
      sum,
    })
    const out = aggregateDeltas([
      d('m', 'b', 0, '1'),
      d('m', 'a', 7, '2'),
      d('m', 'a', 3, '3'),
      d('m', 'b', 0, '0.5'),
      d('a', 'z', 0, '1'),
    ])
    expect(out.map((x) => [x.meter, x.customer_id, x.bucket, x.count, x.sum])).toEqual([
      ['a', 'z', 0, 1, '1'],
      ['m', 'a', 3, 1, '3'],
      ['m', 'a', 7, 1, '2'],
      ['m', 'b', 0, 2, '1.5'],
    ])
  })
})
