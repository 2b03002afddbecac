import { ErrorCode, ValidationError } from '../errors.js'
import {
  DAY_MS,
  FAILED_ATTEMPTS_AT_RISK,
  TRIAL_NOTICE_MS,
  USAGE_DROP_RATIO,
  USAGE_MIN_WEEKLY_BASELINE,
} from './churn-constants.js'

/** `createBilling({ notifications: { churn } })`: when trials get notice and customers count as at risk. */
export interface ChurnOptions {
  /** Days before a trial ends that `subscription.trial_will_end` is written (default 3). */
  trialNoticeDays?: number
  /** `usage_drop`: the recent week is below this share of the baseline's weekly average (default 0.3). */
  usageDropRatio?: number
  /** `usage_drop`: the least weekly average a baseline needs to count (default 100). */
  usageMinWeeklyBaseline?: number
  /** `payment_failing`: failed charges of one invoice in a row (default 2). */
  failedAttempts?: number
}

/** The validated churn rule of one billing instance. */
export interface ChurnSettings {
  readonly trialNoticeMs: number
  /** A decimal string. */
  readonly usageDropRatio: string
  /** A decimal string. */
  readonly usageMinWeeklyBaseline: string
  readonly failedAttempts: number
}

/** The rule with every default. */
export const DEFAULT_CHURN: ChurnSettings = Object.freeze({
  trialNoticeMs: TRIAL_NOTICE_MS,
  usageDropRatio: USAGE_DROP_RATIO,
  usageMinWeeklyBaseline: USAGE_MIN_WEEKLY_BASELINE,
  failedAttempts: FAILED_ATTEMPTS_AT_RISK,
})

const invalid = (field: string, message: string) =>
  new ValidationError(ErrorCode.INVALID_OPTIONS, `notifications.churn.${field} ${message}`, {
    path: `notifications.churn.${field}`,
  })

function integer(value: unknown, field: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max)
    throw invalid(field, `must be an integer from ${min} to ${max}`)
  return value
}

/**
 * Validates `notifications.churn` (typed `INVALID_OPTIONS` errors naming the field) over the
 * defaults.
 *
 * @example
 * parseChurnOptions({ usageDropRatio: 0.5 }).usageDropRatio // '0.5'
 */
export function parseChurnOptions(options: ChurnOptions | undefined): ChurnSettings {
  if (options === undefined) return DEFAULT_CHURN
  if (typeof options !== 'object' || options === null)
    throw new ValidationError(ErrorCode.INVALID_OPTIONS, 'notifications.churn must be an object', {
      path: 'notifications.churn',
    })
  const days = integer(options.trialNoticeDays, 'trialNoticeDays', 1, 90)
  const ratio = options.usageDropRatio
  if (
    ratio !== undefined &&
    (typeof ratio !== 'number' || !Number.isFinite(ratio) || ratio <= 0 || ratio > 1)
  )
    throw invalid('usageDropRatio', 'must be a number above 0 and at most 1')
  const least = options.usageMinWeeklyBaseline
  if (least !== undefined && (typeof least !== 'number' || !Number.isFinite(least) || least < 0))
    throw invalid('usageMinWeeklyBaseline', 'must be a number of at least 0')
  const failed = integer(options.failedAttempts, 'failedAttempts', 1, 100)
  return Object.freeze({
    trialNoticeMs: days === undefined ? DEFAULT_CHURN.trialNoticeMs : days * DAY_MS,
    usageDropRatio: ratio === undefined ? DEFAULT_CHURN.usageDropRatio : String(ratio),
    usageMinWeeklyBaseline: least === undefined ? DEFAULT_CHURN.usageMinWeeklyBaseline : String(least),
    failedAttempts: failed ?? DEFAULT_CHURN.failedAttempts,
  })
}
