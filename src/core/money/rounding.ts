import { BillingError, ErrorCode } from '../errors.js'
import { Decimal, type DecimalRounding } from './decimal.js'

/**
 * How a precise amount becomes an integer number of minor units.
 * - `half_up`: halves round away from zero (2.5 → 3, -2.5 → -3). The default.
 * - `half_even`: halves round to the even neighbour (2.5 → 2, 3.5 → 4), "banker's rounding".
 */
export type RoundingMode = 'half_up' | 'half_even'

export const ROUNDING_MODES: readonly RoundingMode[] = ['half_up', 'half_even']

const DECIMAL_MODE: Record<RoundingMode, DecimalRounding> = {
  half_up: Decimal.ROUND_HALF_UP,
  half_even: Decimal.ROUND_HALF_EVEN,
}

/**
 * Checks a rounding mode given by a caller.
 *
 * @example
 * assertRoundingMode('half_even') // ok
 * assertRoundingMode('down')      // throws ValidationError INVALID_ROUNDING_MODE
 */
export function assertRoundingMode(mode: unknown, path = 'rounding'): asserts mode is RoundingMode {
  if (mode !== 'half_up' && mode !== 'half_even') {
    throw new BillingError(
      ErrorCode.INVALID_ROUNDING_MODE,
      `rounding must be one of ${ROUNDING_MODES.join(', ')}, got ${JSON.stringify(mode)}`,
      { path },
    )
  }
}

/**
 * Rounds a precise amount to an integer number of minor units. This is the only place money is
 * rounded. The result is a safe integer, or the call throws `AMOUNT_OVERFLOW`.
 *
 * @example
 * roundMinor(new Decimal('246913.4'))           // 246913
 * roundMinor(new Decimal('2.5'), 'half_even')   // 2
 */
export function roundMinor(value: Decimal, mode: RoundingMode = 'half_up'): number {
  const rounded = value.isInteger() ? value : value.toDecimalPlaces(0, DECIMAL_MODE[mode])
  const n = rounded.toNumber()
  if (!Number.isSafeInteger(n)) {
    throw new BillingError(
      ErrorCode.AMOUNT_OVERFLOW,
      `amount ${value.toFixed()} exceeds the largest safe integer`,
      {
        amount: value.toFixed(),
      },
    )
  }
  return n === 0 ? 0 : n
}
