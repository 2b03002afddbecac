import { Decimal } from '../money/decimal.js'
import { notificationRecord } from '../notifications/notify.js'
import type { AllowanceRecord, NotificationRecord } from '../ports/index.js'
import { priceUsage } from '../pricing/price-prepaid-overage.js'
import { isoTime } from '../time/iso-time.js'
import type { AlertMark } from './types.js'

/** An allowance's limit with its top-ups (`limit + granted`), or null without a limit. */
export function allowanceTotal(allowance: AllowanceRecord): Decimal | null {
  return allowance.limit === null ? null : new Decimal(allowance.limit).plus(allowance.granted)
}

/**
 * The period's running charge for the meter at `quantity`: the sum of its usage lines as the invoice
 * would bill them now, each priced and rounded on its own (a prepaid block's overage only: the block
 * is billed in advance). Per-event `percentage` charges have no price for a total and are left out.
 *
 * @example
 * runningCharge({ charges: [{ model: 'per_unit', unit_amount: '2' }], currency: 'NGN', rounding: 'half_up' }, new Decimal(500)) // 1000
 */
export function runningCharge(pricing: NonNullable<AlertMark['pricing']>, quantity: Decimal): number {
  let total = 0
  for (const charge of pricing.charges) {
    if (charge.model === 'percentage') continue
    total += priceUsage(charge, quantity.toFixed(), { rounding: pricing.rounding }).amount
  }
  return total
}

function periodOf(allowance: AllowanceRecord) {
  return {
    customer_id: allowance.customer_id,
    meter: allowance.meter,
    period_start: isoTime(allowance.period_start),
    period_end: isoTime(allowance.period_end),
  }
}

// Whether the mark's threshold is reached, and what the notification reports about it.
function reached(
  mark: AlertMark,
  used: Decimal,
  total: Decimal | null,
): { data: Record<string, unknown> } | null {
  const t = mark.threshold
  if ('percent' in t) {
    if (total === null) return null
    return used.times(100).greaterThanOrEqualTo(total.times(t.percent)) ? { data: {} } : null
  }
  if ('quantity' in t) return used.greaterThanOrEqualTo(t.quantity) ? { data: {} } : null
  if (mark.pricing === undefined) return null
  const amount = runningCharge(mark.pricing, used)
  return amount >= t.amount ? { data: { amount, currency: mark.pricing.currency } } : null
}

/**
 * The notifications an allowance's current standing calls for, marking each in the allowance so it
 * is written once: every alert threshold reached and not fired this period
 * (`usage.threshold_reached`), and `entitlement.exhausted` once usage reaches the limit with its
 * top-ups (again after a top-up raised it). The storage calls this on every allowance a transaction
 * changed, and writes the allowance and the notifications in that transaction.
 *
 * @example
 * const records = allowanceNotices(allowance, now) // [] below every threshold
 */
export function allowanceNotices(allowance: AllowanceRecord, now: number): NotificationRecord[] {
  const marks = allowance.alerts
  const armed = marks?.some((m) => m.fired_at === null) === true
  const total = allowanceTotal(allowance)
  // The common case on the append path: nothing left to fire and no limit left to exhaust.
  if (!armed && (total === null || allowance.exhausted_limit === total.toFixed())) return []
  const out: NotificationRecord[] = []
  const used = new Decimal(allowance.used)
  // What every notification says of the allowance, made only when one fires.
  let about: Record<string, unknown> | undefined
  const describe = () => {
    about ??= {
      ...periodOf(allowance),
      used: used.toFixed(),
      limit: total === null ? null : total.toFixed(),
    }
    return about
  }
  for (const mark of marks ?? []) {
    if (mark.fired_at !== null) continue
    const hit = reached(mark, used, total)
    if (hit === null) continue
    mark.fired_at = now
    out.push(
      notificationRecord(now, {
        type: 'usage.threshold_reached',
        key: `usage.threshold_reached:${mark.id}:${allowance.customer_id}:${allowance.period_start}`,
        customer_id: allowance.customer_id,
        data: { alert_id: mark.alert_id, threshold: mark.threshold, ...describe(), ...hit.data },
      }),
    )
  }
  if (total !== null && used.greaterThanOrEqualTo(total) && allowance.exhausted_limit !== total.toFixed()) {
    allowance.exhausted_limit = total.toFixed()
    out.push(
      notificationRecord(now, {
        type: 'entitlement.exhausted',
        key: `entitlement.exhausted:${allowance.customer_id}:${allowance.meter}:${allowance.period_start}:${total.toFixed()}`,
        customer_id: allowance.customer_id,
        data: { ...describe(), enforced: allowance.enforce },
      }),
    )
  }
  return out
}

/**
 * `entitlement.restored` when a grant (a paid top-up) lifts an exhausted allowance's limit above its
 * usage, else nothing.
 *
 * @example
 * const records = restoredNotice(before, after, now)
 */
export function restoredNotice(
  before: AllowanceRecord,
  after: AllowanceRecord,
  now: number,
): NotificationRecord[] {
  const was = allowanceTotal(before)
  const total = allowanceTotal(after)
  if (was === null || total === null) return []
  const used = new Decimal(after.used)
  if (used.lessThan(was) || used.greaterThanOrEqualTo(total)) return []
  return [
    notificationRecord(now, {
      type: 'entitlement.restored',
      key: `entitlement.restored:${after.customer_id}:${after.meter}:${after.period_start}:${total.toFixed()}`,
      customer_id: after.customer_id,
      data: {
        ...periodOf(after),
        used: used.toFixed(),
        limit: total.toFixed(),
        granted: new Decimal(after.granted).minus(before.granted).toFixed(),
        enforced: after.enforce,
      },
    }),
  ]
}

/**
 * Gives an allowance the alert marks it should carry, keeping the fired state of marks it has:
 * what `entitlements.watch` does under the allowance's lock before evaluating it.
 *
 * @example
 * setMarks(allowance, marksFor(alerts, …))
 */
export function setMarks(allowance: AllowanceRecord, marks: readonly AlertMark[]): void {
  const fired = new Map((allowance.alerts ?? []).map((m) => [m.id, m.fired_at]))
  allowance.alerts = marks.map((m) => ({ ...m, fired_at: fired.get(m.id) ?? m.fired_at }))
}
