import type { z } from 'zod'
import type {
  chargeSchema,
  graduatedChargeSchema,
  packageChargeSchema,
  percentageChargeSchema,
  perUnitChargeSchema,
  prepaidBlockChargeSchema,
  volumeChargeSchema,
} from './schema.js'

/**
 * An input shape whose arrays may be readonly, so an `as const` definition type-checks. kobometer
 * never mutates what it is given.
 */
export type ReadonlyArrays<T> =
  T extends ReadonlyArray<infer U>
    ? ReadonlyArray<ReadonlyArrays<U>>
    : T extends object
      ? { [K in keyof T]: ReadonlyArrays<T[K]> }
      : T

/** `q × unit_amount`. */
export type PerUnitCharge = ReadonlyArrays<z.input<typeof perUnitChargeSchema>>
/** `ceil(max(q − free_units, 0) / package_size) × package_amount`. */
export type PackageCharge = ReadonlyArrays<z.input<typeof packageChargeSchema>>
/** Each tier prices the units inside it, plus its `flat_amount` once entered. */
export type GraduatedCharge = ReadonlyArrays<z.input<typeof graduatedChargeSchema>>
/** The tier containing q prices all q units, plus its `flat_amount`. */
export type VolumeCharge = ReadonlyArrays<z.input<typeof volumeChargeSchema>>
/** `block_amount + max(q − block_size, 0) × overage_unit_amount`. */
export type PrepaidBlockCharge = ReadonlyArrays<z.input<typeof prepaidBlockChargeSchema>>
/** Per event: `value × rate/100 + fixed_amount`, clamped to `[min_amount, max_amount_per_event]`. */
export type PercentageCharge = ReadonlyArrays<z.input<typeof percentageChargeSchema>>
/** Any charge definition. */
export type Charge = ReadonlyArrays<z.input<typeof chargeSchema>>
/** One tier of a graduated or volume charge. */
export type Tier = GraduatedCharge['tiers'][number]

/** How much of a price one tier (or block) contributed. Decimal strings are exact, unrounded. */
export interface TierBreakdown {
  /** The tier's inclusive upper bound; `null` for the open-ended last tier. */
  up_to: number | null
  /**
   * The exclusive lower bound, set only where the tiers below were left out (an invoice's
   * prepaid-block overage line); otherwise it is the previous tier's `up_to`.
   */
  from?: number
  /** Units priced in this tier. */
  units: string
  unit_amount: string
  flat_amount: string
  /** `units × unit_amount + flat_amount`, unrounded. */
  amount: string
}

/** What {@link priceCharge} returns. */
export interface PriceResult {
  /** Integer minor units: `precise_amount` rounded once with the chosen mode. */
  amount: number
  /** The exact, unrounded amount (after `max_amount`), as a plain decimal string. */
  precise_amount: string
  /** Per-tier breakdown for tiered and block models: it sums to the amount before any cap. */
  tiers?: TierBreakdown[]
  /** Present and true when `max_amount` lowered the amount. */
  capped?: true
}
