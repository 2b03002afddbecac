import { z } from 'zod'
import { ErrorCode, validationErrorFromZod } from '../errors.js'
import { safeText } from '../text.js'
import type { CreateAlertInput } from './types.js'

const positiveDecimal = z.union([
  z.number().finite().positive().max(1e15),
  z
    .string()
    .max(40)
    .regex(/^\d+(\.\d+)?$/, 'must be a decimal string')
    .refine((v) => Number(v) > 0 && Number(v) <= 1e15, 'must be greater than 0 and at most 10^15'),
])

const thresholdSchema = z.union([
  z.strictObject({ percent: z.number().finite().positive().max(1000) }),
  z.strictObject({ quantity: positiveDecimal }),
  z.strictObject({ amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
])

const createSchema = z.strictObject({
  meter: safeText(1, 100),
  plan_code: safeText(1, 100).optional(),
  customer_id: safeText(1, 255).optional(),
  thresholds: z.array(thresholdSchema).min(1).max(10),
})

/**
 * Checks `alerts.create` input: a bad field → `ValidationError` (`INVALID_ALERT`) with its `path`.
 * A threshold is exactly one of `{ percent }` (of the period's limit, up to 1000), `{ quantity }`
 * (a positive number or decimal string) or `{ amount }` (positive minor units).
 *
 * @example
 * parseCreateAlert({ meter: 'api_calls', thresholds: [{ percent: 80 }] })
 */
export function parseCreateAlert(input: CreateAlertInput): CreateAlertInput {
  const parsed = createSchema.safeParse(input)
  if (!parsed.success) throw validationErrorFromZod(parsed.error, ErrorCode.INVALID_ALERT)
  return parsed.data
}
