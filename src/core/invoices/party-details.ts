import { z } from 'zod'
import { ErrorCode, ValidationError, validationErrorFromZod } from '../errors.js'
import { safeText } from '../text.js'

/**
 * A postal address as printed: up to 6 lines of up to 200 characters each (street, city, state,
 * country), in the order they are to appear. Lines suit every country's format without a schema
 * for each.
 */
export const addressSchema = z.array(safeText(1, 200)).min(1).max(6)

/** A tax identification number (Nigeria: the TIN), as printed. */
export const taxIdSchema = safeText(1, 50)

/** What `createBilling({ seller })` accepts: the supplier a VAT invoice names. */
export const sellerSchema = z.strictObject({
  name: safeText(1, 200),
  address: addressSchema.optional(),
  tax_id: taxIdSchema.optional(),
  email: safeText(3, 320).optional(),
  phone: safeText(1, 50).optional(),
})

/** The supplier printed on invoices, as given to `createBilling({ seller })`. */
export interface SellerDetails {
  /** Legal or trading name. */
  name: string
  /** Address lines, printed one per line. */
  address?: string[]
  /** Tax identification number (TIN), printed as `Tax ID`. */
  tax_id?: string
  email?: string
  phone?: string
}

/**
 * Validates `createBilling`'s `seller` into a frozen copy, or throws `ValidationError`
 * (`INVALID_OPTIONS`, or `INVALID_STRING` for a string breaking the text rule) naming the field.
 *
 * @example
 * parseSeller({ name: 'Kobo Cloud Ltd', address: ['1 Marina', 'Lagos'], tax_id: '12345678-0001' })
 */
export function parseSeller(value: unknown): Readonly<SellerDetails> | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'object') {
    throw new ValidationError(ErrorCode.INVALID_OPTIONS, 'seller must be an object', { path: 'seller' })
  }
  const parsed = sellerSchema.safeParse(value)
  if (!parsed.success) throw validationErrorFromZod(parsed.error, ErrorCode.INVALID_OPTIONS, 'seller')
  const { address, ...rest } = parsed.data
  return Object.freeze({ ...rest, ...(address ? { address: Object.freeze([...address]) as string[] } : {}) })
}
