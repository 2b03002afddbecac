import { Decimal } from '../money/decimal.js'
import type { Payment } from '../payments/types.js'
import type { SubscriptionRecord } from '../subscriptions/types.js'
import {
  DAY_MS,
  TRIAL_ENDED_LOOKBACK_MS,
  TRIAL_NOTICE_MS,
  USAGE_BASELINE_WEEKS,
  USAGE_DROP_RATIO,
  USAGE_MIN_WEEKLY_BASELINE,
  USAGE_RECENT_DAYS,
} from './churn-constants.js'

/** Where a subscription's trial stands at a tick: about to end, just ended, or neither. */
export type TrialNotice = 'will_end' | 'ended' | null

/**
 * What a tick at `now` owes a subscription's trial: `will_end` from `noticeMs` (default
 * `TRIAL_NOTICE_MS`) before its end (or from the trial's start when it is shorter) until it ends, `ended` for
 * `TRIAL_ENDED_LOOKBACK_MS` after. A subscription canceled before its trial ended gets neither.
 *
 * @example
 * trialNotice({ ...sub, start_at: 0, trial_end: 10 * DAY_MS }, 8 * DAY_MS) // 'will_end'
 */
export function trialNotice(sub: SubscriptionRecord, now: number, noticeMs = TRIAL_NOTICE_MS): TrialNotice {
  const end = sub.trial_end
  if (end === null || (sub.end_at !== null && sub.end_at <= end)) return null
  if (now < sub.start_at) return null
  if (now < end) return now >= end - noticeMs ? 'will_end' : null
  return now < end + TRIAL_ENDED_LOOKBACK_MS ? 'ended' : null
}

/**
 * How many of an invoice's latest card charges failed in a row (hosted checkouts and offline
 * payments are not charges).
 *
 * @example
 * failedInARow([{ status: 'failed', gateway: 'paystack' }, { status: 'failed', gateway: 'paystack' }] as Payment[]) // 2
 */
export function failedInARow(attempts: readonly Payment[]): number {
  let run = 0
  for (let i = attempts.length - 1; i >= 0; i--) {
    const p = attempts[i]!
    if (p.method !== undefined || p.gateway === 'offline') continue
    if (p.status !== 'failed') break
    run++
  }
  return run
}

/** The windows a usage drop compares, in epoch ms, half-open and on whole UTC days. */
export interface UsageWindows {
  recent: { from: number; to: number }
  baseline: { from: number; to: number }
}

/**
 * The usage windows of a tick at `now`: the `USAGE_RECENT_DAYS` whole UTC days before today, and the
 * `USAGE_BASELINE_WEEKS` weeks before those. Whole days read from hourly rollups only.
 *
 * @example
 * usageWindows(Date.parse('2026-03-30T15:00:00Z')).recent // { from: Mar 23 00:00Z, to: Mar 30 00:00Z }
 */
export function usageWindows(now: number): UsageWindows {
  const today = Math.floor(now / DAY_MS) * DAY_MS
  const split = today - USAGE_RECENT_DAYS * DAY_MS
  return {
    recent: { from: split, to: today },
    baseline: { from: split - USAGE_BASELINE_WEEKS * 7 * DAY_MS, to: split },
  }
}

/** A usage drop: the recent week, the baseline's weekly average and their ratio. */
export interface UsageDrop {
  /** Usage over the recent window, exact. */
  recent: string
  /** The baseline window's usage divided by its weeks, exact to 6 decimal places. */
  baseline: string
  /** `recent / baseline`, to 4 decimal places. */
  ratio: number
}

/** The usage drop rule's thresholds, as decimal strings. */
export interface UsageDropRule {
  /** The share of the baseline's weekly average the recent week must fall below. */
  ratio: string
  /** The least weekly average a baseline needs to count. */
  minWeekly: string
}

/**
 * The usage drop rule: given the recent week's usage and the baseline window's total (decimal
 * strings), a drop when the baseline averages at least `minWeekly` a week (default
 * `USAGE_MIN_WEEKLY_BASELINE`) and the recent week is below `ratio` (default `USAGE_DROP_RATIO`) of
 * that average; null otherwise.
 *
 * @example
 * usageDrop('20', '800') // { recent: '20', baseline: '200', ratio: 0.1 }
 * usageDrop('90', '800') // null (0.45 of the average)
 */
export function usageDrop(
  recent: string,
  baselineTotal: string,
  rule: UsageDropRule = { ratio: USAGE_DROP_RATIO, minWeekly: USAGE_MIN_WEEKLY_BASELINE },
): UsageDrop | null {
  const weekly = new Decimal(baselineTotal).div(USAGE_BASELINE_WEEKS)
  if (weekly.lt(rule.minWeekly)) return null
  const used = new Decimal(recent)
  if (!used.lt(weekly.mul(rule.ratio))) return null
  return {
    recent: used.toFixed(),
    baseline: weekly.toDecimalPlaces(6).toFixed(),
    ratio: used.div(weekly).toDecimalPlaces(4).toNumber(),
  }
}

/**
 * The Monday (UTC) of the week holding `now`, as `YYYY-MM-DD`: names a usage drop's occurrence so it
 * is reported at most once a week.
 *
 * @example
 * weekOf(Date.parse('2026-04-02T10:00:00Z')) // '2026-03-30'
 */
export function weekOf(now: number): string {
  const day = Math.floor(now / DAY_MS)
  // 1970-01-01 was a Thursday: day 0 is 3 days after a Monday.
  const monday = day - ((((day + 3) % 7) + 7) % 7)
  return new Date(monday * DAY_MS).toISOString().slice(0, 10)
}
