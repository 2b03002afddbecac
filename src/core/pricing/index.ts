export { type PriceOptions, priceCharge } from './price-charge.js'
export { createPercentageEventPricer } from './price-percentage.js'
export { CHARGE_MODELS, type ChargeModel, chargeSchema } from './schema.js'
export type {
  Charge,
  GraduatedCharge,
  PackageCharge,
  PercentageCharge,
  PerUnitCharge,
  PrepaidBlockCharge,
  PriceResult,
  Tier,
  TierBreakdown,
  VolumeCharge,
} from './types.js'
export { validateCharge } from './validate-charge.js'
