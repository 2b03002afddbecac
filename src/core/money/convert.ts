import { ErrorCode, ValidationError } from '../errors.js'
import { parseAmount } from './amount.js'
import { getCurrency } from './currencies.js'
import { Decimal } from './decimal.js'
import { type RoundingMode, roundMinor } from './rounding.js'

/**
 * Converts an amount in major units (naira) to integer minor units (kobo), exactly. An amount with
 * more decimals than the currency has is refused unless a rounding mode is given.
 *
 * @example
 * toMinorUnits('1234.50', 'NGN')                        // 123450
 * toMinorUnits('1000', 'UGX')                           // 1000 (UGX has no minor unit)
 * toMinorUnits('1.005', 'NGN', { rounding: 'half_up' }) // 101
 */
export function toMinorUnits(
  major: string | number,
  currency: string,
  options: { rounding?: RoundingMode; path?: string } = {},
): number {
  const path = options.path ?? 'amount'
  const { exponent } = getCurrency(currency)
  const minor = parseAmount(major, path, { allowNegative: true }).times(new Decimal(10).pow(exponent))
  if (!minor.isInteger() && options.rounding === undefined) {
    throw new ValidationError(
      ErrorCode.INVALID_AMOUNT,
      `${path} has more than ${exponent} decimal places for ${currency}`,
      { path },
    )
  }
  return roundMinor(minor, options.rounding ?? 'half_up')
}

/**
 * Converts integer minor units to a major-unit decimal string with the currency's decimals.
 *
 * @example
 * fromMinorUnits(123450, 'NGN') // '1234.50'
 * fromMinorUnits(1500, 'KWD')   // '1.500'
 * fromMinorUnits(123_456_789_012_345_678n, 'NGN') // '1234567890123456.78' (a sum past 2^53)
 */
export function fromMinorUnits(minor: number | bigint, currency: string, path = 'amount'): string {
  const { exponent } = getCurrency(currency)
  if (typeof minor === 'bigint')
    return new Decimal(minor.toString()).dividedBy(new Decimal(10).pow(exponent)).toFixed(exponent)
  if (!Number.isSafeInteger(minor)) {
    throw new ValidationError(ErrorCode.INVALID_AMOUNT, `${path} must be an integer number of minor units`, {
      path,
    })
  }
  return new Decimal(minor).dividedBy(new Decimal(10).pow(exponent)).toFixed(exponent)
}
