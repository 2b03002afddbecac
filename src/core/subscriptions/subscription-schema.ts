import { z } from 'zod'

const metadataSchema = z.record(
  z.string().min(1).max(100),
  z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]),
)

/** What `billing.subscriptions.create` accepts (`start_at` is read by `resolveStartAt`). */
export const subscriptionInputSchema = z.strictObject({
  customer_id: z.string().min(1).max(255),
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
