import { z } from 'zod'
import { metadataSchema } from '../common-schemas.js'
import { addressSchema, taxIdSchema } from '../invoices/party-details.js'
import { safeText } from '../text.js'

const idSchema = safeText(1, 255)
const emailSchema = safeText(3, 320).regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address')

/** What `billing.customers.create` accepts. */
export const customerInputSchema = z.strictObject({
  id: idSchema,
  email: emailSchema.optional(),
  name: safeText(1, 200).optional(),
  timezone: z.string().min(1).max(100).optional(),
  address: addressSchema.optional(),
  tax_id: taxIdSchema.optional(),
  metadata: metadataSchema.optional(),
})

/** What `billing.customers.update` accepts. */
export const customerUpdateSchema = z.strictObject({
  email: emailSchema.nullable().optional(),
  name: safeText(1, 200).nullable().optional(),
  timezone: z.string().min(1).max(100).optional(),
  address: addressSchema.nullable().optional(),
  tax_id: taxIdSchema.nullable().optional(),
  metadata: metadataSchema.optional(),
})
