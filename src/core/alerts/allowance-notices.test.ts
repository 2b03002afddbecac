import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Decimal } from '../money/decimal.js'
import type { AllowanceRecord } from '../ports/index.js'
import { allowanceNotices, restoredNotice, runningCharge } from './allowance-notices.js'
import type { AlertThreshold } from './types.js'

const T0 = Date.UTC(2026, 0, 1)

function allowance(limit: string | null, thresholds: AlertThreshold[], unitAmount = '3'): AllowanceRecord {
  return {
    customer_id: 'cus_1',
    meter: 'calls',
    period_start: T0,
    period_end: T0 + 31 * 86_400_000,
    limit,
    enforce: false,
    granted: '0',
    used: '0',
    reserved: '0',
    next_expiry: null,
    revision: 1,
    alerts: thresholds.map((threshold, i) => ({
      id: `alr_1:${i}`,
      alert_id: 'alr_1',
      threshold,
      fired_at: null,
      ...('amount' in threshold
        ? {
            pricing: {
              charges: [{ model: 'per_unit' as const, unit_amount: unitAmount }],
              currency: 'NGN',
              rounding: 'half_up' as const,
            },
          }
        : {}),
    })),
  }
}

const threshold = fc.oneof(
  fc.integer({ min: 1, max: 150 }).map((percent): AlertThreshold => ({ percent })),
  fc.integer({ min: 1, max: 500 }).map((quantity): AlertThreshold => ({ quantity })),
  fc.integer({ min: 1, max: 1500 }).map((amount): AlertThreshold => ({ amount })),
)

// Whether a threshold is reached at `used` of a 200 limit priced at 3 minor units a unit.
function reachedAt(t: AlertThreshold, used: number): boolean {
  if ('percent' in t) return used * 100 >= 200 * t.percent
  if ('quantity' in t) return used >= Number(t.quantity)
  return used * 3 >= t.amount
}

describe('allowance notices', () => {
  it('each threshold fires exactly once, in the step where usage first reaches it, whatever the steps', () => {
    fc.assert(
      fc.property(
        fc.array(threshold, { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 80 }), { minLength: 1, maxLength: 20 }),
        (thresholds, steps) => {
          const a = allowance('200', thresholds)
          const fired = new Map<string, [before: number, after: number]>()
          let used = 0
          steps.forEach((step, s) => {
            const before = used
            used += step
            a.used = String(used)
            for (const n of allowanceNotices(a, T0 + s)) {
              if (n.type !== 'usage.threshold_reached') continue
              const id = n.key.split(':').slice(1, 3).join(':')
              expect(fired.has(id)).toBe(false)
              fired.set(id, [before, used])
            }
          })
          thresholds.forEach((t, i) => {
            const id = `alr_1:${i}`
            expect(fired.has(id)).toBe(reachedAt(t, used))
            const at = fired.get(id)
            if (at !== undefined) expect([reachedAt(t, at[0]), reachedAt(t, at[1])]).toEqual([false, true])
          })
        },
      ),
    )
  })

  it('exhaustion fires once per limit; a top-up that lifts it restores, and the new limit can exhaust again', () => {
    const a = allowance('10', [])
    a.used = '10'
    expect(allowanceNotices(a, T0).map((n) => n.type)).toEqual(['entitlement.exhausted'])
    expect(allowanceNotices(a, T0)).toEqual([])
    const before = structuredClone(a)
    a.granted = '5'
    expect(restoredNotice(before, a, T0).map((n) => n.data)).toEqual([
      expect.objectContaining({ used: '10', limit: '15', granted: '5' }),
    ])
    a.used = '15'
    expect(allowanceNotices(a, T0).map((n) => n.key)).toEqual([`entitlement.exhausted:cus_1:calls:${T0}:15`])
    // A grant too small to lift usage below the limit restores nothing.
    const full = structuredClone(a)
    a.granted = '5'
    a.used = '20'
    expect(restoredNotice(full, a, T0)).toEqual([])
  })

  it('a percentage of no limit never fires; the running charge rounds each line once', () => {
    const a = allowance(null, [{ percent: 1 }])
    a.used = '1000000'
    expect(allowanceNotices(a, T0)).toEqual([])
    const pricing = {
      charges: [
        { model: 'per_unit' as const, unit_amount: '0.5' },
        { model: 'package' as const, package_size: 10, package_amount: '100' },
      ],
      currency: 'NGN',
      rounding: 'half_up' as const,
    }
    expect(runningCharge(pricing, new Decimal(11))).toBe(6 + 200)
  })
})
