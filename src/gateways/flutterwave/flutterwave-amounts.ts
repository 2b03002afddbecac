/**
 * Flutterwave speaks major units (decimal naira); the port speaks integer minor units. Both
 * directions go through decimal strings, so no float arithmetic ever touches an amount.
 */
import { ErrorCode, ValidationError } from '../../core/errors.js'
import { fromMinorUnits, toMinorUnits } from '../../core/money/convert.js'
import { Decimal } from '../../core/money/decimal.js'
import { type JsonRecord, readDecimal } from '../json-fields.js'

/**
 * Minor units as the JSON number Flutterwave expects. The number is built from the exact decimal
 * string and must print back as the same decimal (true for every amount under 10^13 naira), so what
 * goes on the wire is exactly the amount meant.
 *
 * @example
 * toFlutterwaveAmount(123450, 'NGN') // 1234.5
 * toFlutterwaveAmount(1, 'NGN')      // 0.01
 * toFlutterwaveAmount(1000, 'UGX')   // 1000
 */
export function toFlutterwaveAmount(minor: number, currency: string): number {
  const major = fromMinorUnits(minor, currency)
  const wire = Number(major)
  if (!new Decimal(String(wire)).equals(new Decimal(major))) {
    throw new ValidationError(
      ErrorCode.AMOUNT_OVERFLOW,
      `amount ${major} ${currency} is too large to send exactly`,
      {
        path: 'amount',
      },
    )
  }
  return wire
}

/**
 * A Flutterwave amount field (major units, a JSON number like `1234.5`) as integer minor units, or
 * undefined when the field is missing. An amount finer than the currency's minor unit throws.
 *
 * @example
 * readFlutterwaveAmount({ amount: 1234.5 }, 'amount', 'NGN') // 123450
 */
export function readFlutterwaveAmount(
  record: JsonRecord | undefined,
  key: string,
  currency: string,
): number | undefined {
  const major = readDecimal(record, key)
  return major === undefined ? undefined : toMinorUnits(major, currency, { path: key })
}
