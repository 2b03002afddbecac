import { fromMinorUnits } from './convert.js'
import { getCurrency } from './currencies.js'

/** How {@link formatMoney} prints the currency. */
export interface FormatMoneyOptions {
  /** `'symbol'` (default) prints `₦1,234.50`; `'code'` prints `NGN 1,234.50`. */
  display?: 'symbol' | 'code'
}

/**
 * Formats integer minor units for people: grouped thousands and the currency's decimals.
 *
 * @example
 * formatMoney(123450, 'NGN')                     // '₦1,234.50'
 * formatMoney(-5000, 'NGN')                      // '-₦50.00'
 * formatMoney(123450, 'NGN', { display: 'code' }) // 'NGN 1,234.50'
 * formatMoney(1000, 'UGX')                       // 'USh1,000'
 * formatMoney(10n ** 18n, 'NGN')                  // '₦10,000,000,000,000,000.00' (exact big sums)
 */
export function formatMoney(
  minor: number | bigint,
  currency: string,
  options: FormatMoneyOptions = {},
): string {
  const info = getCurrency(currency)
  const major = fromMinorUnits(minor, currency)
  const negative = major.startsWith('-')
  const [whole = '0', fraction] = (negative ? major.slice(1) : major).split('.')
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const digits = fraction === undefined ? grouped : `${grouped}.${fraction}`
  const prefix = options.display === 'code' ? `${info.code} ` : info.symbol
  return `${negative ? '-' : ''}${prefix}${digits}`
}
