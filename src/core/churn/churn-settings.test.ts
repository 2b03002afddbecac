import { describe, expect, it } from 'vitest'
import { DAY_MS } from './churn-constants.js'
import { DEFAULT_CHURN, parseChurnOptions } from './churn-settings.js'

describe('churn settings', () => {
  it('defaults every field and takes the ones given', () => {
    expect(parseChurnOptions(undefined)).toEqual({
      trialNoticeMs: 3 * DAY_MS,
      usageDropRatio: '0.3',
      usageMinWeeklyBaseline: '100',
      failedAttempts: 2,
    })
    expect(parseChurnOptions({})).toEqual(DEFAULT_CHURN)
    expect(
      parseChurnOptions({
        trialNoticeDays: 7,
        usageDropRatio: 0.25,
        usageMinWeeklyBaseline: 12.5,
        failedAttempts: 3,
      }),
    ).toEqual({
      trialNoticeMs: 7 * DAY_MS,
      usageDropRatio: '0.25',
      usageMinWeeklyBaseline: '12.5',
      failedAttempts: 3,
    })
  })

  it('refuses a bad field with INVALID_OPTIONS naming it', () => {
    const cases: Array<[unknown, string]> = [
      ['no', 'notifications.churn'],
      [{ trialNoticeDays: 0 }, 'notifications.churn.trialNoticeDays'],
      [{ trialNoticeDays: 1.5 }, 'notifications.churn.trialNoticeDays'],
      [{ usageDropRatio: 0 }, 'notifications.churn.usageDropRatio'],
      [{ usageDropRatio: 1.5 }, 'notifications.churn.usageDropRatio'],
      [{ usageDropRatio: '0.3' }, 'notifications.churn.usageDropRatio'],
      [{ usageMinWeeklyBaseline: -1 }, 'notifications.churn.usageMinWeeklyBaseline'],
      [{ usageMinWeeklyBaseline: Number.NaN }, 'notifications.churn.usageMinWeeklyBaseline'],
      [{ failedAttempts: 0 }, 'notifications.churn.failedAttempts'],
    ]
    for (const [options, path] of cases) {
      expect(() => parseChurnOptions(options as never)).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTIONS', details: { path } }),
      )
    }
  })
})
