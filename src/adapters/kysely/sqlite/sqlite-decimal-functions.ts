import { Decimal } from '../../../core/money/decimal.js'

/**
 * The SQL names of the exact-decimal functions registered on every SQLite connection.
 *
 * @example
 * db.prepare(`SELECT ${SQLITE_DECIMAL_FUNCTIONS.add}('0.1', '0.2') AS s`).get() // { s: '0.3' }
 */
export const SQLITE_DECIMAL_FUNCTIONS = Object.freeze({
  add: 'kobometer_dec_add',
  min: 'kobometer_dec_min',
  max: 'kobometer_dec_max',
  sum: 'kobometer_dec_sum',
  least: 'kobometer_dec_least',
  greatest: 'kobometer_dec_greatest',
})

/** What registering a function needs from a better-sqlite3 handle (structural: no driver import). */
export interface FunctionRegistry {
  function(
    name: string,
    options: { deterministic: boolean },
    fn: (a: unknown, b: unknown) => unknown,
  ): unknown
  aggregate(
    name: string,
    options: { deterministic: boolean; start: null; step: (total: unknown, value: unknown) => unknown },
  ): unknown
}

// Up to 15 digits: the sum of two still fits exactly in a double, the fast path needs no decimal.js.
const SMALL_INTEGER = /^-?\d{1,15}$/

type DecimalArg = string | number | bigint | null

const text = (value: unknown): string | null => {
  if (value === null || value === undefined) return null
  return typeof value === 'string' ? value : String(value as DecimalArg)
}

/**
 * Exact `a + b` over decimal strings; NULL on either side yields the other.
 *
 * @example
 * decimalAdd('0.1', '0.2') // '0.3'
 * decimalAdd(null, '5') // '5'
 */
export function decimalAdd(left: unknown, right: unknown): string | null {
  const a = text(left)
  const b = text(right)
  if (a === null) return b
  if (b === null) return a
  if (SMALL_INTEGER.test(a) && SMALL_INTEGER.test(b)) return String(Number(a) + Number(b))
  return new Decimal(a).plus(b).toFixed()
}

/**
 * The exact comparison of two decimal strings: negative, zero or positive.
 *
 * @example
 * compareDecimals('10', '9.99') // 1
 */
export function compareDecimals(a: string, b: string): number {
  if (SMALL_INTEGER.test(a) && SMALL_INTEGER.test(b)) return Number(a) - Number(b)
  return new Decimal(a).comparedTo(b)
}

/**
 * The smaller of two decimal strings; NULL on either side yields the other.
 *
 * @example
 * decimalMin('2', '-2.5') // '-2.5'
 */
export function decimalMin(left: unknown, right: unknown): string | null {
  const a = text(left)
  const b = text(right)
  if (a === null) return b
  if (b === null) return a
  return compareDecimals(a, b) <= 0 ? a : b
}

/**
 * The greater of two decimal strings; NULL on either side yields the other.
 *
 * @example
 * decimalMax('2', '-2.5') // '2'
 */
export function decimalMax(left: unknown, right: unknown): string | null {
  const a = text(left)
  const b = text(right)
  if (a === null) return b
  if (b === null) return a
  return compareDecimals(a, b) >= 0 ? a : b
}

/**
 * Registers the exact-decimal functions rollup upserts call, and the aggregates usage queries
 * call. SQLite has no decimal type, so rollup decimals are TEXT and merged by these
 * (deterministic, NULL-safe) functions.
 *
 * @example
 * registerDecimalFunctions(new Database('billing.db'))
 */
export function registerDecimalFunctions(db: FunctionRegistry): void {
  const options = { deterministic: true }
  db.function(SQLITE_DECIMAL_FUNCTIONS.add, options, decimalAdd)
  db.function(SQLITE_DECIMAL_FUNCTIONS.min, options, decimalMin)
  db.function(SQLITE_DECIMAL_FUNCTIONS.max, options, decimalMax)
  db.aggregate(SQLITE_DECIMAL_FUNCTIONS.sum, { ...options, start: null, step: decimalAdd })
  db.aggregate(SQLITE_DECIMAL_FUNCTIONS.least, { ...options, start: null, step: decimalMin })
  db.aggregate(SQLITE_DECIMAL_FUNCTIONS.greatest, { ...options, start: null, step: decimalMax })
}
