import type { RoundingMode } from '../money/rounding.js'
import { chargeMeterCode } from '../plans/charge-meters.js'
import type { Plan } from '../plans/types.js'
import type { AlertRecord } from '../ports/alert-store.js'
import type { Charge } from '../pricing/types.js'
import type { AlertMark } from './types.js'

/** Whether an alert covers a customer on a plan. */
export function alertCovers(alert: AlertRecord, customer_id: string, plan_code: string): boolean {
  if (alert.customer_id !== null && alert.customer_id !== customer_id) return false
  return alert.plan_code === null || alert.plan_code === plan_code
}

/**
 * The alert marks a customer's allowances carry this period, by meter code: one per threshold of
 * every alert covering the customer on this plan version. An `amount` threshold carries the plan's
 * charges on the meter, priced when the allowance changes.
 *
 * @example
 * marksFor(alerts, 'cus_1', plan, 'half_up').get('api_calls') // [{ id: 'alr_1:0', threshold: { percent: 80 }, … }]
 */
export function marksFor(
  alerts: readonly AlertRecord[],
  customer_id: string,
  plan: Plan,
  rounding: RoundingMode,
): Map<string, AlertMark[]> {
  const out = new Map<string, AlertMark[]>()
  for (const alert of alerts) {
    if (!alertCovers(alert, customer_id, plan.code)) continue
    const list = out.get(alert.meter) ?? []
    alert.thresholds.forEach((threshold, i) => {
      const mark: AlertMark = { id: `${alert.id}:${i}`, alert_id: alert.id, threshold, fired_at: null }
      if ('amount' in threshold) {
        const charges = plan.charges.filter((c) => chargeMeterCode(c) === alert.meter) as Charge[]
        mark.pricing = { charges, currency: plan.currency, rounding }
      }
      list.push(mark)
    })
    out.set(alert.meter, list)
  }
  return out
}

/**
 * Whether an allowance already carries exactly these marks (by id): then nothing needs watching.
 *
 * @example
 * sameMarks(allowance.alerts, wanted) // true
 */
export function sameMarks(have: readonly AlertMark[] | undefined, want: readonly AlertMark[]): boolean {
  const ids = (have ?? []).map((m) => m.id)
  return ids.length === want.length && want.every((m, i) => m.id === ids[i])
}
