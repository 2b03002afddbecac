import { z } from 'zod'
import { metadataSchema } from '../common-schemas.js'
import { toDecimal } from '../money/amount.js'
import { INTERVALS } from '../periods/index.js'
import { amountSchema, unitsSchema } from '../pricing/schema.js'
import { safeText } from '../text.js'

const CODE = /^[A-Za-z0-9_.:-]+$/
const INVALID_AMOUNT = { code: 'INVALID_AMOUNT' } as const

const percentSchema = z.custom<string | number>().superRefine((value, ctx) => {
  const d = typeof value === 'string' || typeof value === 'number' ? toDecimal(value) : undefined
  if (d === undefined || d.isNegative() || d.greaterThan(100)) {
    ctx.addIssue({
      code: 'custom',
      message: 'percent must be a decimal from 0 to 100',
      params: INVALID_AMOUNT,
    })
  }
})

/** The fields a plan version may change; the charges are checked one by one afterwards. */
export const planChangeShape = {
  name: safeText(1, 200),
  description: safeText(0, 2000).optional(),
  trial_days: z.number().int().min(0).max(3650).optional(),
  fixed_amount: amountSchema.optional(),
  minimum_amount: amountSchema.optional(),
  tax_rates: z
    .array(z.strictObject({ name: safeText(1, 100), percent: percentSchema }))
    .max(10)
    .optional(),
  charges: z.array(z.unknown()).max(50).optional(),
  limits: z
    .array(
      z.strictObject({
        meter: safeText(1, 100),
        quantity: unitsSchema,
        on_exceed: z.enum(['reject', 'allow']),
      }),
    )
    .max(50)
    .optional(),
  metadata: metadataSchema.optional(),
}

/** What `billing.plans.create` accepts (charges are validated by `validatePlanCharges`). */
export const planInputSchema = z.strictObject({
  code: z.string().min(1).max(100).regex(CODE, 'must be characters of A-Z a-z 0-9 _ . : -'),
  currency: z.string().min(3).max(3),
  interval: z.enum(INTERVALS),
  interval_count: z.number().int().min(1).max(365).optional(),
  ...planChangeShape,
})

/** What `billing.plans.update` accepts. */
export const planUpdateSchema = z.strictObject({ ...planChangeShape, name: planChangeShape.name.optional() })

/** Fields fixed for a plan's life: a plan with another currency or period is another plan. */
export const IMMUTABLE_PLAN_FIELDS = ['code', 'currency', 'interval', 'interval_count'] as const
