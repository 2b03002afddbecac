import { ErrorCode, ValidationError } from '../errors.js'
import { Decimal } from './decimal.js'

/** A price or amount in minor units: a decimal string (`'0.2'`) or a number (`50`). May be fractional. */
export type Amount = string | number

/** A metered quantity: a number or a decimal string. */
export type Quantity = string | number

const DECIMAL_STRING = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$/

/**
 * Parses a decimal string or a finite number into an exact decimal. A number goes through its
 * shortest round-trip decimal string (`0.1` → `'0.1'`), so no binary float error enters. Returns
 * `undefined` for anything that is not a plain decimal (NaN, Infinity, `'1.2.3'`, `'abc'`, `' 1'`).
 *
 * @example
 * toDecimal('1234.50')?.toFixed() // '1234.5'
 * toDecimal('1.2.3')              // undefined
 */
export function toDecimal(input: unknown): Decimal | undefined {
  if (typeof input === 'number') return Number.isFinite(input) ? new Decimal(input) : undefined
  if (typeof input === 'string' && DECIMAL_STRING.test(input)) return new Decimal(input)
  return undefined
}

/**
 * Parses a money amount (a price, a fee, a cap). Negative amounts are refused unless allowed.
 *
 * @example
 * parseAmount('0.2', 'unit_amount').toFixed()   // '0.2'
 * parseAmount('-5', 'unit_amount')              // throws ValidationError INVALID_AMOUNT, details.path 'unit_amount'
 */
export function parseAmount(
  input: unknown,
  path: string,
  options: { allowNegative?: boolean } = {},
): Decimal {
  const value = toDecimal(input)
  if (value === undefined) {
    throw new ValidationError(
      ErrorCode.INVALID_AMOUNT,
      `${path || 'amount'} must be a decimal string or a finite number, got ${describe(input)}`,
      { path },
    )
  }
  if (!options.allowNegative && value.isNegative() && !value.isZero()) {
    throw new ValidationError(ErrorCode.INVALID_AMOUNT, `${path || 'amount'} must not be negative`, { path })
  }
  return value
}

/**
 * Parses a metered quantity: a non-negative decimal string or finite number.
 *
 * @example
 * parseQuantity(1234).toFixed()        // '1234'
 * parseQuantity(-1)                    // throws ValidationError INVALID_QUANTITY
 */
export function parseQuantity(input: unknown, path = 'quantity'): Decimal {
  const value = toDecimal(input)
  if (value === undefined || (value.isNegative() && !value.isZero())) {
    throw new ValidationError(
      ErrorCode.INVALID_QUANTITY,
      `${path} must be a non-negative decimal string or finite number, got ${describe(input)}`,
      { path },
    )
  }
  return value
}

function describe(input: unknown): string {
  if (typeof input === 'string') return JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input)
  if (typeof input === 'number') return String(input)
  return input === null ? 'null' : typeof input
}
