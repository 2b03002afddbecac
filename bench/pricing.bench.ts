// priceCharge throughput per model. Baseline: raw decimal.js doing the same arithmetic by hand, with
// no validation, no breakdown and no result object, so the ratio is what kobometer's API costs.
import { Decimal } from 'decimal.js'
import { type Charge, priceCharge } from '../src/index.js'
import { compare, defineSuite, measureThroughputs } from './harness.js'

const D = Decimal.clone({ precision: 60 })
const quantities = Array.from({ length: 1024 }, (_, i) => 1 + ((i * 7919) % 2_000_000))
let cursor = 0
const nextQuantity = () => quantities[cursor++ & 1023]!

const tiers4 = [
  { up_to: 10_000, unit_amount: '0' },
  { up_to: 100_000, unit_amount: '40' },
  { up_to: 1_000_000, unit_amount: '20', flat_amount: '10000' },
  { up_to: null, unit_amount: '10' },
]
const bounds = [10_000, 100_000, 1_000_000].map((b) => new D(b))
const rawGraduated = (q: number) => {
  const qd = new D(q)
  const units = [0, 40, 20, 10].map((u) => new D(u))
  let total = new D(0)
  let previous = new D(0)
  for (let i = 0; i < 4; i++) {
    if (qd.lte(previous)) break
    const top = i < 3 ? D.min(qd, bounds[i]!) : qd
    total = total.plus(top.minus(previous).times(units[i]!))
    if (i === 2) total = total.plus(10_000)
    previous = i < 3 ? bounds[i]! : previous
  }
  return total.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber()
}

interface ModelCase {
  name: string
  charge: Charge
  raw: (q: number) => number
  target?: number
}

const unit = new D('0.2')
const cases: ModelCase[] = [
  {
    name: 'per_unit',
    charge: { model: 'per_unit', unit_amount: '0.2' },
    raw: (q) => new D(q).times(unit).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber(),
    target: 1_000_000,
  },
  {
    name: 'package',
    charge: { model: 'package', package_size: 1000, package_amount: '200' },
    raw: (q) => new D(q).dividedBy(1000).ceil().times(200).toNumber(),
  },
  {
    name: 'graduated (4 tiers)',
    charge: { model: 'graduated', tiers: tiers4 },
    raw: rawGraduated,
    target: 300_000,
  },
  {
    name: 'volume (4 tiers)',
    charge: { model: 'volume', tiers: tiers4 },
    raw: (q) => {
      const qd = new D(q)
      const i = bounds.findIndex((b) => qd.lte(b))
      const price = qd.times([0, 40, 20, 10][i === -1 ? 3 : i]!)
      return price.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber()
    },
  },
  {
    name: 'prepaid_block',
    charge: {
      model: 'prepaid_block',
      block_size: 200_000,
      block_amount: '5000000',
      overage_unit_amount: '30',
    },
    raw: (q) => new D(5_000_000).plus(D.max(new D(q).minus(200_000), 0).times(30)).toNumber(),
  },
  {
    name: 'percentage (one event)',
    charge: { model: 'percentage', rate: '1.5', fixed_amount: '10000', max_amount_per_event: '200000' },
    raw: (q) =>
      D.min(new D(q).times('0.015').plus(10_000), 200_000)
        .toDecimalPlaces(0, Decimal.ROUND_HALF_UP)
        .toNumber(),
  },
]

export default defineSuite({
  name: 'pricing',
  cases: cases.map((c) => ({
    name: c.name,
    run: async () => {
      const [kobometer, baseline] = await measureThroughputs(
        [() => priceCharge(c.charge, nextQuantity()), () => c.raw(nextQuantity())],
        { unit: 'prices/s' },
      )
      return compare(`priceCharge ${c.name}`, kobometer!, baseline, c.target ? { min: c.target } : undefined)
    },
  })),
})
