/**
 * Every billing interval, shortest first.
 *
 * @example
 * INTERVALS.includes('week') // true
 */
export const INTERVALS = ['day', 'week', 'month', 'year'] as const

/**
 * The unit a plan bills in; a period is `interval_count` of these.
 *
 * @example
 * const quarterly: { interval: Interval; interval_count: number } = { interval: 'month', interval_count: 3 }
 */
export type Interval = (typeof INTERVALS)[number]

/**
 * Whether a value is one of {@link INTERVALS}.
 *
 * @example
 * isInterval('month') // true
 * isInterval('fortnight') // false
 */
export function isInterval(value: unknown): value is Interval {
  return typeof value === 'string' && (INTERVALS as readonly string[]).includes(value)
}
