import { z } from 'zod'
import { filtersSchema } from '../common-schemas.js'
import { type Amount, toDecimal } from '../money/amount.js'
import { Decimal } from '../money/decimal.js'
import { safeText } from '../text.js'

// Stable codes carried by custom issues; `validationErrorFromZod` lifts them onto the error.
const INVALID_AMOUNT = { code: 'INVALID_AMOUNT' } as const
const AMOUNT_OVERFLOW = { code: 'AMOUNT_OVERFLOW' } as const
const INVALID_TIERS = { code: 'INVALID_TIERS' } as const

type Checked = NonNullable<ReturnType<typeof toDecimal>>

// Invoices carry amounts as integer minor units; a price above the largest safe integer could never
// be billed, so it is refused where it is defined rather than at every invoice run.
const MAX_MINOR = new Decimal(Number.MAX_SAFE_INTEGER)

function decimalField(what: string, check: (d: Checked) => string | null, bounded: boolean) {
  return z.custom<Amount>().superRefine((value, ctx) => {
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: 'is required' })
      return
    }
    const d = typeof value === 'string' || typeof value === 'number' ? toDecimal(value) : undefined
    const problem = d === undefined ? `${what} must be a decimal string or a finite number` : check(d)
    if (problem) ctx.addIssue({ code: 'custom', message: problem, params: INVALID_AMOUNT })
    else if (bounded && d?.greaterThan(MAX_MINOR)) {
      ctx.addIssue({
        code: 'custom',
        message: `must be at most ${Number.MAX_SAFE_INTEGER} minor units`,
        params: AMOUNT_OVERFLOW,
      })
    }
  })
}

const nonNegative = (d: Checked) => (d.isNegative() ? 'must not be negative' : null)

/**
 * A non-negative price in minor units, at most `Number.MAX_SAFE_INTEGER`; may be fractional
 * (`'0.2'` kobo).
 */
export const amountSchema = decimalField('amount', nonNegative, true)

/** A non-negative number of units (free units): a quantity, not money, so not bounded as one. */
export const unitsSchema = decimalField('units', nonNegative, false)

/** A cap: a non-negative whole number of minor units, so the rounded line can equal it exactly. */
const wholeAmountSchema = decimalField(
  'amount',
  (d) => {
    if (d.isNegative()) return 'must not be negative'
    return d.isInteger() ? null : 'must be a whole number of minor units'
  },
  true,
)

/** A strictly positive size (package, block). */
const positiveSizeSchema = decimalField(
  'size',
  (d) => (d.greaterThan(0) ? null : 'must be greater than 0'),
  false,
)

const commonFields = {
  meter: safeText(1, 100).optional(),
  name: safeText(0, 200).optional(),
  filters: filtersSchema.optional(),
  max_amount: wholeAmountSchema.optional(),
}

const tierSchema = z.strictObject({
  up_to: z.number().positive().finite().nullable(),
  unit_amount: amountSchema,
  flat_amount: amountSchema.optional(),
})

const tiersSchema = z
  .array(tierSchema)
  .min(1)
  .superRefine((tiers, ctx) => {
    let previous = 0
    tiers.forEach((tier, i) => {
      const last = i === tiers.length - 1
      if (last && tier.up_to !== null) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'up_to'],
          message: 'the last tier must have up_to: null (no upper bound)',
          params: INVALID_TIERS,
        })
      } else if (!last && tier.up_to === null) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'up_to'],
          message: 'only the last tier may have up_to: null',
          params: INVALID_TIERS,
        })
      } else if (tier.up_to !== null) {
        if (tier.up_to <= previous) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'up_to'],
            message: `tiers must be strictly ascending: up_to ${tier.up_to} is not above ${previous}`,
            params: INVALID_TIERS,
          })
        }
        previous = tier.up_to
      }
    })
  })

export const perUnitChargeSchema = z.strictObject({
  ...commonFields,
  model: z.literal('per_unit'),
  unit_amount: amountSchema,
})

export const packageChargeSchema = z.strictObject({
  ...commonFields,
  model: z.literal('package'),
  package_size: positiveSizeSchema,
  package_amount: amountSchema,
  free_units: unitsSchema.optional(),
})

export const graduatedChargeSchema = z.strictObject({
  ...commonFields,
  model: z.literal('graduated'),
  tiers: tiersSchema,
})

export const volumeChargeSchema = z.strictObject({
  ...commonFields,
  model: z.literal('volume'),
  tiers: tiersSchema,
})

export const prepaidBlockChargeSchema = z
  .strictObject({
    ...commonFields,
    model: z.literal('prepaid_block'),
    block_size: positiveSizeSchema,
    block_amount: amountSchema,
    overage_unit_amount: amountSchema.optional(),
    /**
     * When the block is used up: `pause` refuses usage beyond it (the block and the period's paid
     * top-ups are the limit); `overage` bills it at `overage_unit_amount`. Default: `overage` with an
     * `overage_unit_amount`, else `pause`.
     */
    on_depletion: z.enum(['pause', 'overage']).optional(),
  })
  .superRefine((charge, ctx) => {
    if (charge.on_depletion === 'overage' && charge.overage_unit_amount === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['overage_unit_amount'],
        message: "on_depletion 'overage' needs overage_unit_amount: the price of each unit beyond the block",
        params: INVALID_AMOUNT,
      })
    }
  })

export const percentageChargeSchema = z
  .strictObject({
    ...commonFields,
    model: z.literal('percentage'),
    rate: amountSchema,
    fixed_amount: amountSchema.optional(),
    min_amount: amountSchema.optional(),
    max_amount_per_event: amountSchema.optional(),
  })
  .superRefine((charge, ctx) => {
    const min = toDecimal(charge.min_amount)
    const max = toDecimal(charge.max_amount_per_event)
    if (min && max && min.greaterThan(max)) {
      ctx.addIssue({
        code: 'custom',
        path: ['min_amount'],
        message: 'min_amount must not exceed max_amount_per_event',
        params: INVALID_AMOUNT,
      })
    }
  })

/** Every charge model, keyed by its `model` name. */
export const chargeSchemas = {
  per_unit: perUnitChargeSchema,
  package: packageChargeSchema,
  graduated: graduatedChargeSchema,
  volume: volumeChargeSchema,
  prepaid_block: prepaidBlockChargeSchema,
  percentage: percentageChargeSchema,
} as const

export type ChargeModel = keyof typeof chargeSchemas

export const CHARGE_MODELS = Object.keys(chargeSchemas) as ChargeModel[]

/** Any charge definition, as {@link chargeSchemas} validates it. */
export const chargeSchema = z.discriminatedUnion('model', [
  perUnitChargeSchema,
  packageChargeSchema,
  graduatedChargeSchema,
  volumeChargeSchema,
  prepaidBlockChargeSchema,
  percentageChargeSchema,
])
