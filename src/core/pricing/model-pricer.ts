import type { Decimal } from '../money/decimal.js'
import type { TierBreakdown } from './types.js'

/** The unrounded price of one quantity under one model, before any cap. */
export interface ModelPrice {
  precise: Decimal
  tiers?: TierBreakdown[]
}

/** A charge compiled once (amounts parsed to decimals) and priced many times. */
export type ModelPricer = (quantity: Decimal) => ModelPrice
