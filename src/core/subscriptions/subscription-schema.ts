import { z } from 'zod'
import { metadataSchema } from '../common-schemas.js'
import { safeText } from '../text.js'

/** What `billing.subscriptions.create` accepts (`start_at` is read by `resolveStartAt`). */
export const subscriptionInputSchema = z.strictObject({
  customer_id: safeText(1, 255),
  plan_code: z.string().min(1).max(100),
  start_at: z.unknown().optional(),
  trial_days: z.number().int().min(0).max(3650).optional(),
  metadata: metadataSchema.optional(),
})

/** What `billing.subscriptions.cancel` accepts. */
export const cancelSchema = z.strictObject({ at_period_end: z.boolean().optional() })

/** What `billing.subscriptions.changePlan` accepts. */
export const changePlanSchema = z.strictObject({
  plan_code: z.string().min(1).max(100),
  at: z.literal('period_end').optional(),
})
