/**
 * Readers for fields of a provider's JSON. Providers add, drop and retype fields; reading through
 * these keeps every adapter total (a missing field is `undefined`, never a crash).
 */

/** A JSON object, or undefined for anything else. */
export type JsonRecord = Record<string, unknown>

/**
 * The value as an object, or undefined.
 *
 * @example
 * asRecord({ a: 1 }) // { a: 1 }
 * asRecord(null)     // undefined
 */
export function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonRecord)
    : undefined
}

/**
 * A non-empty string field, or undefined.
 *
 * @example
 * readString({ message: 'Approved' }, 'message') // 'Approved'
 */
export function readString(record: JsonRecord | undefined, key: string): string | undefined {
  const value = record?.[key]
  return typeof value === 'string' && value !== '' ? value : undefined
}

/**
 * An id as a string: ids may come as numbers or, past 2^53, as the exact strings
 * `parseJsonLossless` keeps.
 *
 * @example
 * readId({ id: 277036749 }, 'id')             // '277036749'
 * readId({ id: '4099260516000123456' }, 'id') // '4099260516000123456'
 */
export function readId(record: JsonRecord | undefined, key: string): string | null {
  const value = record?.[key]
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value)
  if (typeof value === 'string' && /^[A-Za-z0-9_-]+$/.test(value)) return value
  return null
}

/**
 * An integer amount of minor units (Paystack's unit), or undefined.
 *
 * @example
 * readMinor({ amount: 50000 }, 'amount') // 50000
 */
export function readMinor(record: JsonRecord | undefined, key: string): number | undefined {
  const value = record?.[key]
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined
}

/**
 * A decimal amount in its exact decimal-string form (`1234.5` → `'1234.5'`), or undefined. A JSON
 * number's shortest round-trip string is the decimal the provider wrote.
 *
 * @example
 * readDecimal({ amount: 1234.5 }, 'amount') // '1234.5'
 */
export function readDecimal(record: JsonRecord | undefined, key: string): string | undefined {
  const value = record?.[key]
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value === 'string' && /^-?\d+(?:\.\d+)?$/.test(value)) return value
  return undefined
}
