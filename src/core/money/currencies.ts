import { BillingError, ErrorCode } from '../errors.js'

/** What kobometer knows of a currency: its ISO 4217 minor-unit exponent and how to print it. */
export interface CurrencyInfo {
  code: string
  /** Digits after the decimal point in the major unit (NGN 2, UGX 0, KWD 3). */
  exponent: number
  symbol: string
}

// ISO 4217 minor units. African currencies first (the markets kobometer serves), then the usual majors.
const TABLE: ReadonlyArray<readonly [code: string, exponent: number, symbol: string]> = [
  ['NGN', 2, '₦'],
  ['GHS', 2, 'GH₵'],
  ['KES', 2, 'KSh'],
  ['ZAR', 2, 'R'],
  ['EGP', 2, 'E£'],
  ['UGX', 0, 'USh'],
  ['RWF', 0, 'FRw'],
  ['XOF', 0, 'CFA'],
  ['XAF', 0, 'FCFA'],
  ['TZS', 2, 'TSh'],
  ['MAD', 2, 'MAD'],
  ['ETB', 2, 'Br'],
  ['ZMW', 2, 'ZK'],
  ['MWK', 2, 'MK'],
  ['BWP', 2, 'P'],
  ['MUR', 2, '₨'],
  ['GMD', 2, 'D'],
  ['SLE', 2, 'Le'],
  ['CDF', 2, 'FC'],
  ['DZD', 2, 'DA'],
  ['TND', 3, 'DT'],
  ['LYD', 3, 'LD'],
  ['USD', 2, '$'],
  ['EUR', 2, '€'],
  ['GBP', 2, '£'],
  ['CAD', 2, 'CA$'],
  ['AUD', 2, 'A$'],
  ['CNY', 2, 'CN¥'],
  ['INR', 2, '₹'],
  ['AED', 2, 'AED'],
  ['SAR', 2, 'SAR'],
  ['CHF', 2, 'CHF'],
  ['JPY', 0, '¥'],
  ['KRW', 0, '₩'],
  ['KWD', 3, 'KD'],
  ['BHD', 3, 'BD'],
  ['OMR', 3, 'OMR'],
  ['JOD', 3, 'JD'],
]

const CURRENCIES: ReadonlyMap<string, CurrencyInfo> = new Map(
  TABLE.map(([code, exponent, symbol]) => [code, Object.freeze({ code, exponent, symbol })]),
)

/**
 * Looks up a currency by its ISO 4217 code (upper case).
 *
 * @example
 * getCurrency('NGN') // { code: 'NGN', exponent: 2, symbol: '₦' }
 * getCurrency('XYZ') // throws BillingError UNKNOWN_CURRENCY
 */
export function getCurrency(code: string, path = 'currency'): CurrencyInfo {
  const info = typeof code === 'string' ? CURRENCIES.get(code) : undefined
  if (!info) {
    throw new BillingError(ErrorCode.UNKNOWN_CURRENCY, `unknown currency ${JSON.stringify(code)}`, {
      path,
      currency: code,
    })
  }
  return info
}

/**
 * Whether kobometer knows this ISO 4217 code.
 *
 * @example
 * isKnownCurrency('KES') // true
 */
export function isKnownCurrency(code: string): boolean {
  return CURRENCIES.has(code)
}

/**
 * The currencies kobometer knows, as ISO 4217 codes.
 *
 * @example
 * listCurrencies().includes('GHS') // true
 */
export function listCurrencies(): string[] {
  return [...CURRENCIES.keys()]
}
