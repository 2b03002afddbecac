import { EVENT_LIMITS as L } from './limits.js'

/** A decimal string as meters read it: optional sign, digits, optional fraction, no exponent. */
export const DECIMAL_STRING = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$/

// Below 1e-6 a double prints in exponent form; at or above it, its shortest decimal form has at
// most 6 + 17 fractional digits, well within the rule.
const PLAIN_FORM_MIN = 1e-6
const INTEGER_LIMIT = 10 ** L.maxIntegerDigits

function decimalStringInRange(text: string): boolean {
  const unsigned = text.charCodeAt(0) === 43 || text.charCodeAt(0) === 45 ? text.slice(1) : text
  const point = unsigned.indexOf('.')
  const integer = (point === -1 ? unsigned : unsigned.slice(0, point)).replace(/^0+/, '')
  if (integer.length > L.maxIntegerDigits) return false
  if (point === -1) return true
  return unsigned.slice(point + 1).replace(/0+$/, '').length <= L.maxFractionDigits
}

function numberInRange(value: number): boolean {
  const size = Math.abs(value)
  if (size >= INTEGER_LIMIT) return false
  if (size === 0 || size >= PLAIN_FORM_MIN) return true
  // 'd.ddde-N': N − 1 zeros after the point, then every mantissa digit.
  const [mantissa, exponent] = size.toExponential().split('e-') as [string, string]
  return Number(exponent) + mantissa.replace('.', '').length - 1 <= L.maxFractionDigits
}

/**
 * Whether a property value that meters may read as a number is within kobometer's exact range:
 * at most 20 integer digits and 30 fractional digits (leading and trailing zeros aside). Every
 * storage sums such values exactly (35 integer and 30 fractional digits per rollup). Strings that
 * are not decimal strings are not numbers, so they are always in range.
 *
 * @example
 * numericInRange(1200)                 // true
 * numericInRange(1e20)                 // false (21 integer digits)
 * numericInRange('0.' + '0'.repeat(30) + '1') // false (31 fractional digits)
 * numericInRange('gpt-4')              // true (not a number)
 */
export function numericInRange(value: unknown): boolean {
  if (typeof value === 'number') return Number.isSafeInteger(value) || numberInRange(value)
  if (typeof value === 'string' && DECIMAL_STRING.test(value)) return decimalStringInRange(value)
  return true
}
