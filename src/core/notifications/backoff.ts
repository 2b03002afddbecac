/**
 * When a failed delivery is tried again: `baseMs × 2^(attempt − 1)` after `now`, at most `maxMs`
 * later, so a receiver that is down for hours is not hammered and one that blips is retried soon.
 *
 * @example
 * retryAt(0, 1, 60_000, 3_600_000) // 60_000
 * retryAt(0, 3, 60_000, 3_600_000) // 240_000
 * retryAt(0, 12, 60_000, 3_600_000) // 3_600_000
 */
export function retryAt(now: number, attempt: number, baseMs: number, maxMs: number): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 40)
  return now + Math.min(baseMs * 2 ** exponent, maxMs)
}
