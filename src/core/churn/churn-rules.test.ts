import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Decimal } from '../money/decimal.js'
import type { Payment } from '../payments/types.js'
import type { SubscriptionRecord } from '../subscriptions/types.js'
import { DAY_MS } from './churn-constants.js'
import { failedInARow, trialNotice, usageDrop, usageWindows, weekOf } from './churn-rules.js'

const START = Date.UTC(2026, 2, 1)

function trial(days: number): SubscriptionRecord {
  const trial_end = START + days * DAY_MS
  return {
    id: 'sub_1',
    customer_id: 'cus_1',
    currency: 'NGN',
    timezone: 'UTC',
    start_at: START,
    trial_end,
    phases: [{ start: trial_end, plan_code: 'pro', plan_version: 1, interval: 'month', interval_count: 1 }],
    end_at: null,
    canceled_at: null,
    cancel_at_period_end: false,
    status: 'active',
    next_invoice_at: trial_end,
    revision: 0,
    created_at: START,
    metadata: {},
  }
}

const charge = (status: Payment['status'], extra: Partial<Payment> = {}) =>
  ({ status, gateway: 'paystack', ...extra }) as Payment

describe('churn rules', () => {
  it('notices a trial from 3 days before its end, and for 7 days after it ended', () => {
    const sub = trial(14)
    const end = sub.trial_end!
    expect(trialNotice(sub, end - 3 * DAY_MS - 1)).toBeNull()
    expect(trialNotice(sub, end - 3 * DAY_MS)).toBe('will_end')
    expect(trialNotice(sub, end - 1)).toBe('will_end')
    expect(trialNotice(sub, end)).toBe('ended')
    expect(trialNotice(sub, end + 7 * DAY_MS - 1)).toBe('ended')
    expect(trialNotice(sub, end + 7 * DAY_MS)).toBeNull()
    // A trial shorter than the notice gets it from its first instant, not before it starts.
    const short = trial(2)
    expect(trialNotice(short, START - 1)).toBeNull()
    expect(trialNotice(short, START)).toBe('will_end')
    // No trial, or canceled before its trial ended: nothing.
    expect(trialNotice({ ...sub, trial_end: null }, end - DAY_MS)).toBeNull()
    expect(trialNotice({ ...sub, end_at: end }, end - DAY_MS)).toBeNull()
    expect(trialNotice({ ...sub, end_at: end }, end)).toBeNull()
  })

  it('notices a trial from a configured notice', () => {
    const sub = trial(14)
    expect(trialNotice(sub, sub.trial_end! - 5 * DAY_MS, 5 * DAY_MS)).toBe('will_end')
    expect(trialNotice(sub, sub.trial_end! - 5 * DAY_MS - 1, 5 * DAY_MS)).toBeNull()
  })

  it('notices a trial exactly while now is in [max(start, end - 3 days), end)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 * DAY_MS }),
        fc.integer({ min: -10 * DAY_MS, max: 90 * DAY_MS }),
        (length, offset) => {
          const sub = { ...trial(0), trial_end: START + length }
          const now = START + offset
          const expected = now >= Math.max(START, START + length - 3 * DAY_MS) && now < START + length
          expect(trialNotice(sub, now) === 'will_end').toBe(expected)
        },
      ),
    )
  })

  it('counts the latest failed card charges in a row, skipping checkouts and offline payments', () => {
    expect(failedInARow([])).toBe(0)
    expect(failedInARow([charge('failed'), charge('failed')])).toBe(2)
    expect(failedInARow([charge('failed'), charge('succeeded'), charge('failed')])).toBe(1)
    const checkout = charge('failed', { method: 'checkout' })
    expect(failedInARow([charge('failed'), checkout, charge('failed')])).toBe(2)
    expect(failedInARow([charge('failed'), charge('pending')])).toBe(0)
  })

  it('finds a usage drop below 30% of a weekly baseline of at least 100', () => {
    expect(usageDrop('20', '800')).toEqual({ recent: '20', baseline: '200', ratio: 0.1 })
    expect(usageDrop('0', '400')).toEqual({ recent: '0', baseline: '100', ratio: 0 })
    expect(usageDrop('29.99', '400')).toEqual({ recent: '29.99', baseline: '100', ratio: 0.2999 })
    expect(usageDrop('30', '400')).toBeNull()
    expect(usageDrop('0', '399.99')).toBeNull()
    expect(usageDrop('1', '1000.5')).toEqual({ recent: '1', baseline: '250.125', ratio: 0.004 })
  })

  it('takes a configured ratio and least baseline', () => {
    const rule = { ratio: '0.5', minWeekly: '10' }
    expect(usageDrop('19', '160', rule)).toEqual({ recent: '19', baseline: '40', ratio: 0.475 })
    expect(usageDrop('20', '160', rule)).toBeNull()
    expect(usageDrop('0', '39', rule)).toBeNull()
  })

  it('drops exactly when recent < 0.3 × baseline / 4 and baseline / 4 >= 100, for any quantities', () => {
    const quantity = fc.bigInt({ min: 0n, max: 10n ** 18n }).map(String)
    fc.assert(
      fc.property(quantity, quantity, (recent, total) => {
        const weekly = new Decimal(total).div(4)
        const expected = weekly.gte(100) && new Decimal(recent).lt(weekly.mul('0.3'))
        const drop = usageDrop(recent, total)
        expect(drop !== null).toBe(expected)
        if (drop !== null) {
          expect(drop.ratio).toBeGreaterThanOrEqual(0)
          expect(drop.ratio).toBeLessThanOrEqual(0.3)
          expect(drop.recent).toBe(recent)
        }
      }),
    )
  })

  it('compares the last 7 whole UTC days with the 4 weeks before them', () => {
    const now = Date.parse('2026-03-30T15:00:00Z')
    expect(usageWindows(now)).toEqual({
      recent: { from: Date.parse('2026-03-23'), to: Date.parse('2026-03-30') },
      baseline: { from: Date.parse('2026-02-23'), to: Date.parse('2026-03-23') },
    })
  })

  it('names the week by its Monday (UTC)', () => {
    expect(weekOf(Date.parse('2026-03-30T00:00:00Z'))).toBe('2026-03-30')
    expect(weekOf(Date.parse('2026-04-05T23:59:59Z'))).toBe('2026-03-30')
    expect(weekOf(Date.parse('2026-04-06T00:00:00Z'))).toBe('2026-04-06')
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), (t) => {
        const monday = Date.parse(weekOf(t))
        expect(new Date(monday).getUTCDay()).toBe(1)
        expect(t - monday).toBeGreaterThanOrEqual(0)
        expect(t - monday).toBeLessThan(7 * DAY_MS)
      }),
    )
  })
})
