import type { BillingContext } from '../context.js'
import { quantityOf } from '../meters/rollup.js'
import { readWindow } from '../meters/usage.js'
import { planVersionAt } from '../plans/plans-service.js'
import { subscriptionPeriodAt } from '../subscriptions/schedule.js'
import { statusAt } from '../subscriptions/subscription-view.js'
import type { SubscriptionRecord } from '../subscriptions/types.js'
import { notifyAtRisk } from './at-risk.js'
import { DAY_MS, SWEEP_PAGE } from './churn-constants.js'
import { trialNotice, type UsageDrop, usageDrop, usageWindows, weekOf } from './churn-rules.js'
import { noticeTrial } from './trial-notices.js'

/** Where one billing instance's sweep of the day stands. */
interface SweepState {
  day: number
  after: string | undefined
  done: boolean
}

// Kept per billing instance in memory: a restart, or another process, sweeps the day again, and the
// notifications' keys keep what it writes once.
const sweeps = new WeakMap<BillingContext, SweepState>()

/** What one tick's share of the daily sweep did. */
export interface SweepResult {
  /** `customer.at_risk` notifications stored. */
  at_risk: number
  /** Whether today's sweep has now been through every subscription. */
  done: boolean
}

/**
 * The largest drop among the subscription's plan meters that add up (count and sum), or null.
 *
 * @example
 * const drop = await meterDrop(ctx, sub, ctx.now())
 */
async function meterDrop(
  ctx: BillingContext,
  sub: SubscriptionRecord,
  now: number,
): Promise<(UsageDrop & { meter: string }) | null> {
  const windows = usageWindows(now)
  if (sub.start_at > windows.baseline.from) return null
  const period = subscriptionPeriodAt(sub, now)
  const versions = await ctx.storage.plans.getVersions(period.phase.plan_code)
  if (versions.length === 0) return null
  const plan = planVersionAt(versions, period.phase.plan_version, period.start)
  const { churn } = ctx.notifications
  let worst: (UsageDrop & { meter: string }) | null = null
  for (const code of new Set(plan.charges.map((c) => c.meter))) {
    const meter = await ctx.storage.meters.get(code)
    if (meter === null || (meter.aggregation !== 'count' && meter.aggregation !== 'sum')) continue
    const { recent, baseline } = windows
    const [r, b] = await Promise.all([
      readWindow(ctx, meter, sub.customer_id, recent.from, recent.to),
      readWindow(ctx, meter, sub.customer_id, baseline.from, baseline.to),
    ])
    const rule = { ratio: churn.usageDropRatio, minWeekly: churn.usageMinWeeklyBaseline }
    const drop = usageDrop(quantityOf(meter.aggregation, r), quantityOf(meter.aggregation, b), rule)
    if (drop !== null && (worst === null || drop.ratio < worst.ratio)) worst = { ...drop, meter: code }
  }
  return worst
}

/**
 * One subscription's share of the sweep: a usage drop while it is active, and the trial-ended check
 * (for trials the trial step missed, e.g. invoiced by an `invoices.run` of its own).
 */
async function sweepOne(ctx: BillingContext, sub: SubscriptionRecord, now: number): Promise<number> {
  let stored =
    trialNotice(sub, now, ctx.notifications.churn.trialNoticeMs) === 'ended'
      ? (await noticeTrial(ctx, sub, now)).at_risk
      : 0
  if (statusAt(sub, now) !== 'active') return stored
  const drop = await meterDrop(ctx, sub, now)
  if (drop === null) return stored
  const figures = { subscription_id: sub.id, ...drop }
  if (await notifyAtRisk(ctx, sub.customer_id, 'usage_drop', weekOf(now), figures)) stored++
  return stored
}

/**
 * The usage step of `tick`: one page of `SWEEP_PAGE` subscriptions a tick, in id order, until every
 * subscription has been looked at once in the UTC day, then nothing until the next day. Each active
 * subscription that started before the baseline window is checked for a usage drop (two rollup
 * reads per count or sum meter of its plan: about 840 hourly rows), and written at most once per
 * customer per week. Costs at most one page and its rollup reads a tick, and one pass over the
 * subscriptions a day per process.
 *
 * @example
 * const { at_risk, done } = await sweepUsage(ctx, ctx.now())
 */
export async function sweepUsage(ctx: BillingContext, now: number): Promise<SweepResult> {
  const day = Math.floor(now / DAY_MS)
  let state = sweeps.get(ctx)
  if (state === undefined || state.day !== day) {
    state = { day, after: undefined, done: false }
    sweeps.set(ctx, state)
  }
  if (state.done) return { at_risk: 0, done: true }
  const subs = await ctx.storage.subscriptions.list({
    limit: SWEEP_PAGE,
    ...(state.after ? { after: state.after } : {}),
  })
  let at_risk = 0
  for (const sub of subs) at_risk += await sweepOne(ctx, sub, now)
  if (subs.length < SWEEP_PAGE) state.done = true
  else state.after = subs[subs.length - 1]!.id
  return { at_risk, done: state.done }
}
