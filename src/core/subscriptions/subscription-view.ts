import type { BillingContext } from '../context.js'
import { planVersionAt } from '../plans/plans-service.js'
import { isoTime as iso } from '../time/iso-time.js'
import { paidStart, subscriptionPeriodAt } from './schedule.js'
import type { Subscription, SubscriptionRecord, SubscriptionStatus } from './types.js'

/**
 * A subscription's status at `now`: `canceled` once it has ended, `trialing` before its first paid
 * instant, else the kept status.
 *
 * @example
 * statusAt(sub, Date.now()) // 'active'
 */
export function statusAt(sub: SubscriptionRecord, now: number): SubscriptionStatus {
  if (sub.end_at !== null && now >= sub.end_at) return 'canceled'
  if (now < paidStart(sub)) return 'trialing'
  return sub.status
}

/**
 * The public form of a subscription at `now`: its current period (the last one once ended, the
 * first before it starts) and the plan version that period bills with.
 *
 * @example
 * const view = await subscriptionView(ctx, record)
 */
export async function subscriptionView(ctx: BillingContext, sub: SubscriptionRecord): Promise<Subscription> {
  const now = ctx.now()
  let t = Math.max(now, sub.start_at)
  if (sub.end_at !== null && t >= sub.end_at) t = Math.max(sub.start_at, sub.end_at - 1)
  const period = subscriptionPeriodAt(sub, t)
  const versions = await ctx.storage.plans.getVersions(period.phase.plan_code)
  const plan = planVersionAt(versions, period.phase.plan_version, period.start)
  const pending = sub.phases.find((phase) => phase.start > now && phase.start > sub.phases[0]!.start)
  return {
    id: sub.id,
    customer_id: sub.customer_id,
    plan_code: plan.code,
    plan_version: plan.version,
    status: statusAt(sub, now),
    currency: sub.currency,
    start_at: iso(sub.start_at),
    current_period_start: iso(period.start),
    current_period_end: iso(period.end),
    trial_end: sub.trial_end === null ? null : iso(sub.trial_end),
    cancel_at_period_end: sub.cancel_at_period_end,
    canceled_at: sub.canceled_at === null ? null : iso(sub.canceled_at),
    ended_at: sub.end_at === null ? null : iso(sub.end_at),
    pending_change: pending ? { plan_code: pending.plan_code, effective_at: iso(pending.start) } : null,
    metadata: sub.metadata,
    created_at: iso(sub.created_at),
  }
}
