import type { DunningSettings } from '../context.js'
import { DAY_MS } from '../time/wall-clock.js'
import type { Payment } from './types.js'

/** What happens after an invoice's charges so far: retry at a time, or give up. */
export type DunningStep = { kind: 'retry'; at: number } | { kind: 'final' }

/**
 * The next step after the failed attempts of one invoice: a retry `retryDays[k]` days after the
 * first failure for the (k+1)-th failure, or `final` once every retry has failed.
 *
 * @example
 * nextDunningStep([failedAt(jan1)], { retryDays: [1, 3, 5, 7], ... }) // { kind: 'retry', at: jan2 }
 */
export function nextDunningStep(failed: readonly Payment[], settings: DunningSettings): DunningStep {
  if (failed.length === 0) return { kind: 'final' }
  const first = Math.min(...failed.map((p) => Date.parse(p.updated_at)))
  const days = settings.retryDays[failed.length - 1]
  return days === undefined ? { kind: 'final' } : { kind: 'retry', at: first + days * DAY_MS }
}

/**
 * Checks the dunning schedule: ascending, non-negative day counts, at most 30 retries.
 *
 * @example
 * validRetryDays([1, 3, 5, 7]) // true
 */
export function validRetryDays(days: unknown): days is number[] {
  if (!Array.isArray(days) || days.length > 30) return false
  return days.every(
    (d, i) => typeof d === 'number' && Number.isFinite(d) && d >= 0 && (i === 0 || d >= days[i - 1]),
  )
}
