import { marksFor, sameMarks } from '../alerts/alert-marks.js'
import type { BillingContext } from '../context.js'
import { compileMeterEffects } from '../meters/meter-effects.js'
import { planVersionAt } from '../plans/plans-service.js'
import type { AlertRecord, AllowanceOpening, AllowanceRecord } from '../ports/index.js'
import { subscriptionPeriodAt } from '../subscriptions/schedule.js'
import { statusAt } from '../subscriptions/subscription-view.js'
import type { SubscriptionRecord, SubscriptionStatus } from '../subscriptions/types.js'
import { isoTime } from '../time/iso-time.js'
import { type MeterAllowance, planAllowances } from './plan-allowances.js'

/** What this process knows of one customer's entitlements. */
export interface CustomerEntry {
  customer_id: string
  /** Clock time (the billing clock) it was loaded at, and the wall time, for refreshes. */
  loadedAt: number
  /** The subscription that governs access now, or null without one. */
  subscription: SubscriptionRecord | null
  status: SubscriptionStatus | null
  period: { start: number; end: number } | null
  /** The period as `check` prints it, formatted once. */
  periodIso: { start: string; end: string } | null
  /** The plan's allowances this period, by meter code. */
  allowed: Map<string, MeterAllowance>
  /** The open allowances of this period, by meter code. */
  allowances: Map<string, AllowanceRecord>
  /** Period usage of meters without a limit, by meter code, as last read. */
  usage: Map<string, string>
  /** Wall time of the last `check`: entries checked recently are refreshed in the background. */
  checkedAt: number
  /** Wall time of the last ingest that needed it: entries neither checked nor used for a while are dropped. */
  usedAt: number
}

// Open subscriptions first, then the latest: the one that governs a customer's access now.
function governing(subs: readonly SubscriptionRecord[], now: number): SubscriptionRecord | null {
  let best: SubscriptionRecord | null = null
  for (const sub of subs) {
    if (best === null) {
      best = sub
      continue
    }
    const open = statusAt(sub, now) !== 'canceled'
    const bestOpen = statusAt(best, now) !== 'canceled'
    if (open !== bestOpen ? open : sub.created_at >= best.created_at) best = sub
  }
  return best
}

/**
 * Loads one customer's entitlements at `now`: the governing subscription, its current period and
 * plan version, and that period's allowances, opening those not open yet (the first load of a
 * period anywhere opens it; later ones find it). A meter that `alerts` watch for this customer gets
 * an allowance too (without a limit when the plan sets none), carrying the alerts' thresholds; an
 * open allowance whose thresholds differ from the alerts' is given them (`entitlements.watch`), which
 * fires at once the thresholds already reached.
 *
 * @example
 * const entry = await loadCustomerEntry(ctx, 'cus_1', [])
 * entry.allowances.get('api_calls')?.used // '1200'
 */
export async function loadCustomerEntry(
  ctx: BillingContext,
  customer_id: string,
  alerts: readonly AlertRecord[],
): Promise<CustomerEntry> {
  const now = ctx.now()
  const subs = await ctx.storage.subscriptions.list({ customer_id, limit: 100 })
  const sub = governing(subs, now)
  const entry: CustomerEntry = {
    customer_id,
    loadedAt: now,
    subscription: sub,
    status: sub === null ? null : statusAt(sub, now),
    period: null,
    periodIso: null,
    allowed: new Map(),
    allowances: new Map(),
    usage: new Map(),
    checkedAt: 0,
    usedAt: Date.now(),
  }
  if (sub === null) return entry
  let t = Math.max(now, sub.start_at)
  if (sub.end_at !== null && t >= sub.end_at) t = Math.max(sub.start_at, sub.end_at - 1)
  const period = subscriptionPeriodAt(sub, t)
  entry.period = { start: period.start, end: period.end }
  entry.periodIso = { start: isoTime(period.start), end: isoTime(period.end) }
  if (entry.status === 'canceled') return entry
  const versions = await ctx.storage.plans.getVersions(period.phase.plan_code)
  if (versions.length === 0) return entry
  const plan = planVersionAt(versions, period.phase.plan_version, period.start)
  entry.allowed = planAllowances(plan)
  const marks = alerts.length === 0 ? new Map() : marksFor(alerts, customer_id, plan, ctx.rounding)
  for (const meter of marks.keys()) {
    if (!entry.allowed.has(meter)) entry.allowed.set(meter, { limit: null, enforce: false, block_size: null })
  }
  if (entry.allowed.size === 0) return entry
  const keys = [...entry.allowed.keys()].map((meter) => ({ customer_id, meter }))
  for (const a of await ctx.storage.entitlements.read(keys, period.start)) {
    if (a.period_start === period.start) entry.allowances.set(a.meter, a)
  }
  const missing: AllowanceOpening[] = []
  for (const [meter, allowed] of entry.allowed) {
    const wanted = marks.get(meter) ?? []
    const open = entry.allowances.get(meter)
    if (open !== undefined) {
      if (sameMarks(open.alerts, wanted)) continue
      const watched = await ctx.storage.entitlements.watch(open, wanted, now)
      if (watched !== null) entry.allowances.set(meter, watched)
      continue
    }
    missing.push({
      ...(wanted.length > 0 ? { alerts: wanted } : {}),
      customer_id,
      meter,
      period_start: period.start,
      period_end: period.end,
      limit: allowed.limit,
      enforce: allowed.enforce,
      ...(entry.status === 'paused' ? { blocked: 'paused' as const, blocked_at: period.start } : {}),
    })
  }
  if (missing.length > 0) {
    for (const a of await ctx.storage.entitlements.open(missing, compileMeterEffects, now))
      entry.allowances.set(a.meter, a)
  }
  return entry
}
