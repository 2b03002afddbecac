import type { Charge } from '../src/index.js'

/** One of the published price cards, as a kobometer charge, with the volumes worth showing. */
export interface PriceCard {
  title: string
  unit: string
  charge: Charge
  volumes: number[]
}

/** The four price cards of the product page, in kobo. */
export const priceCards: PriceCard[] = [
  {
    title: '₦0.50 per request',
    unit: 'requests',
    charge: { model: 'per_unit', unit_amount: '50' },
    volumes: [1_000, 10_000, 100_000, 1_000_000],
  },
  {
    title: '₦2.00 per 1,000 tokens',
    unit: 'tokens',
    charge: { model: 'package', package_size: 1000, package_amount: '200' },
    volumes: [999, 1_234_567, 50_000_000, 1_000_000_000],
  },
  {
    title: 'First 10k free → ₦0.40 → ₦0.20',
    unit: 'calls',
    charge: {
      model: 'graduated',
      tiers: [
        { up_to: 10_000, unit_amount: '0' },
        { up_to: 100_000, unit_amount: '40' },
        { up_to: null, unit_amount: '20' },
      ],
    },
    volumes: [5_000, 10_001, 100_000, 150_000, 1_000_000],
  },
  {
    title: '₦50,000 for 200k calls, then ₦0.30 a call',
    unit: 'calls',
    charge: {
      model: 'prepaid_block',
      block_size: 200_000,
      block_amount: '5000000',
      overage_unit_amount: '30',
    },
    volumes: [0, 150_000, 200_000, 230_000, 1_000_000],
  },
]
