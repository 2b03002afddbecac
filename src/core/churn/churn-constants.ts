/** Milliseconds in a UTC day. */
export const DAY_MS = 86_400_000

/** `subscription.trial_will_end` is written this long before the trial ends (default of `trialNoticeDays`). */
export const TRIAL_NOTICE_MS = 3 * DAY_MS

/**
 * A trial that ended this long ago or less is still checked for a payment method; an older one is
 * left alone (the invoice it led to reports its own failures).
 */
export const TRIAL_ENDED_LOOKBACK_MS = 7 * DAY_MS

/** The recent usage window: the last 7 whole UTC days before the day of the evaluation. */
export const USAGE_RECENT_DAYS = 7

/** The baseline: this many weeks just before the recent window, averaged per week. */
export const USAGE_BASELINE_WEEKS = 4

/** Usage is at risk below this share of the baseline's weekly average (default of `usageDropRatio`). */
export const USAGE_DROP_RATIO = '0.3'

/**
 * Below this weekly average (events for a count meter, units for a sum meter) a drop is noise
 * (default of `usageMinWeeklyBaseline`).
 */
export const USAGE_MIN_WEEKLY_BASELINE = '100'

/** Failed charges of one invoice in a row that put its customer at risk (default of `failedAttempts`). */
export const FAILED_ATTEMPTS_AT_RISK = 2

/** Subscriptions the daily usage sweep looks at per tick. */
export const SWEEP_PAGE = 200
