import { z } from 'zod'
import { ErrorCode, ValidationError } from './errors.js'

// `isWellFormed` (ES2024, native in Node 20) finds unpaired surrogates several times faster than a
// `\p{Cs}` regex scan; this project's TypeScript lib is ES2023, so it is typed here.
type WellFormed = { isWellFormed(): boolean }

/** Why a string breaks kobometer's text rule, in words. */
export const TEXT_RULE = 'must be well-formed Unicode without NUL characters (U+0000)'

/**
 * Whether a string may be stored: well-formed Unicode (no unpaired surrogate, which no database
 * encoding can hold and which drivers silently replace with U+FFFD) and no NUL (U+0000), which
 * PostgreSQL refuses and C-string code paths truncate at. Every id, key, name and string value
 * kobometer accepts obeys this rule, so every storage compares them byte for byte.
 *
 * @example
 * isSafeText('req_1')     // true
 * isSafeText('req_\uD800') // false (lone surrogate)
 * isSafeText('a\u0000b')  // false (NUL)
 */
export function isSafeText(value: string): boolean {
  return (value as unknown as WellFormed).isWellFormed() && value.indexOf('\0') === -1
}

/**
 * Whether a value can name a stored object: a non-empty string under the text rule. A lookup by
 * anything else finds nothing without asking the storage, whose driver might otherwise turn a lone
 * surrogate into U+FFFD and find another object.
 *
 * @example
 * isLookupKey('cus_1')      // true
 * isLookupKey('cus_\uD800') // false
 */
export function isLookupKey(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && isSafeText(value)
}

/**
 * Refuses a customer id that no stored customer or event can have, with `INVALID_CUSTOMER_ID` (or
 * `INVALID_STRING` under the text rule) naming `path`.
 *
 * @example
 * assertCustomerId(query.customer_id) // throws ValidationError for '' or 'cus_\u0000'
 */
export function assertCustomerId(value: unknown, path = 'customer_id'): asserts value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 255) {
    throw new ValidationError(
      ErrorCode.INVALID_CUSTOMER_ID,
      `${path} must be a string of 1 to 255 characters`,
      {
        path,
      },
    )
  }
  if (!isSafeText(value))
    throw new ValidationError(ErrorCode.INVALID_STRING, `${path} ${TEXT_RULE}`, { path })
}

/**
 * A zod string of `min` to `max` characters that obeys {@link isSafeText}; a breach is reported with
 * the code `INVALID_STRING`.
 *
 * @example
 * safeText(1, 255).parse('cus_1') // 'cus_1'
 */
export function safeText(min: number, max: number) {
  return z
    .string()
    .min(min)
    .max(max)
    .refine(isSafeText, { message: TEXT_RULE, params: { code: ErrorCode.INVALID_STRING } })
}
