import { z } from 'zod'

const idSchema = z.string().min(1).max(255)
const emailSchema = z
  .string()
  .min(3)
  .max(320)
  .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address')
const metadataSchema = z
  .record(z.string().min(1).max(100), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]))
  .refine((m) => Object.keys(m).length <= 50, 'holds at most 50 keys')

/** What `billing.customers.create` accepts. */
export const customerInputSchema = z.strictObject({
  id: idSchema,
  email: emailSchema.optional(),
  name: z.string().min(1).max(200).optional(),
  timezone: z.string().min(1).max(100).optional(),
  metadata: metadataSchema.optional(),
})

/** What `billing.customers.update` accepts. */
export const customerUpdateSchema = z.strictObject({
  email: emailSchema.nullable().optional(),
  name: z.string().min(1).max(200).nullable().optional(),
  timezone: z.string().min(1).max(100).optional(),
  metadata: metadataSchema.optional(),
})
