import { ErrorCode, ValidationError } from '../../core/errors.js'

/**
 * A whole-number storage option from `min` to `max`, or `fallback` when not given; anything else is
 * a `ValidationError` (`INVALID_OPTIONS`, with the option's name as `path`).
 *
 * @example
 * integerOption(undefined, { path: 'mergeEvery', min: 1, max: 1_000_000, fallback: 20_000 }) // 20000
 * integerOption(0, { path: 'mergeEvery', min: 1, max: 1_000_000, fallback: 20_000 })         // throws INVALID_OPTIONS
 */
export function integerOption(
  value: unknown,
  bounds: { path: string; min: number; max: number; fallback: number },
): number {
  if (value === undefined) return bounds.fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < bounds.min || value > bounds.max)
    throw new ValidationError(
      ErrorCode.INVALID_OPTIONS,
      `${bounds.path} must be an integer from ${bounds.min.toLocaleString('en')} to ${bounds.max.toLocaleString('en')}`,
      { path: bounds.path },
    )
  return value
}
