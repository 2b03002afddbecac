import type { BillingContext } from '../context.js'
import { notify } from '../notifications/notify.js'
import type { SubscriptionRecord } from '../subscriptions/types.js'
import { isoTime } from '../time/iso-time.js'
import { hasPaymentMethod, notifyAtRisk } from './at-risk.js'
import { SWEEP_PAGE, TRIAL_NOTICE_MS } from './churn-constants.js'
import { trialNotice } from './churn-rules.js'

/**
 * What a tick owes one subscription's trial at `now`: `subscription.trial_will_end` while it is about
 * to end, `customer.at_risk` (`trial_ended_without_payment_method`) once it has ended without a
 * payment method. Each is written once per trial (its key holds the trial end). Answers how many
 * of each this call stored.
 *
 * @example
 * const { trial_will_end, at_risk } = await noticeTrial(ctx, sub, ctx.now())
 */
export async function noticeTrial(
  ctx: BillingContext,
  sub: SubscriptionRecord,
  now: number,
): Promise<{ trial_will_end: number; at_risk: number }> {
  const notice = trialNotice(sub, now)
  if (notice === null || sub.trial_end === null) return { trial_will_end: 0, at_risk: 0 }
  const has = await hasPaymentMethod(ctx, sub.customer_id)
  if (notice === 'ended') {
    if (has) return { trial_will_end: 0, at_risk: 0 }
    const stored = await notifyAtRisk(
      ctx,
      sub.customer_id,
      'trial_ended_without_payment_method',
      `${sub.id}:${sub.trial_end}`,
      { subscription_id: sub.id, trial_end: isoTime(sub.trial_end) },
    )
    return { trial_will_end: 0, at_risk: stored ? 1 : 0 }
  }
  const { stored } = await notify(ctx, {
    type: 'subscription.trial_will_end',
    key: `subscription.trial_will_end:${sub.id}:${sub.trial_end}`,
    customer_id: sub.customer_id,
    data: {
      subscription_id: sub.id,
      customer_id: sub.customer_id,
      plan_code: sub.phases[0]!.plan_code,
      trial_end: isoTime(sub.trial_end),
      has_payment_method: has,
      // No invoice is open before the trial ends, so no hosted checkout can be made yet.
      ...(has ? {} : { checkout_url: null }),
    },
  })
  return { trial_will_end: stored ? 1 : 0, at_risk: 0 }
}

/**
 * The trial step of `tick`: subscriptions whose first invoice boundary (a trialing subscription's
 * trial end) comes within `TRIAL_NOTICE_MS`, read with `listDue` page by page. A trial not yet
 * invoiced keeps `next_invoice_at` at its trial end, so this finds every trial about to end, and
 * those just ended when it runs before the invoice run. Costs O(subscriptions with a boundary
 * before now + 3 days) reads a tick, plus a payment-method read and an idempotent insert per trial
 * in the window.
 *
 * @example
 * const { trial_will_end, at_risk } = await noticeTrials(ctx, ctx.now())
 */
export async function noticeTrials(
  ctx: BillingContext,
  now: number,
): Promise<{ trial_will_end: number; at_risk: number }> {
  const out = { trial_will_end: 0, at_risk: 0 }
  for (let after: string | undefined; ; ) {
    const subs = await ctx.storage.subscriptions.listDue({
      due_by: now + TRIAL_NOTICE_MS,
      limit: SWEEP_PAGE,
      ...(after ? { after } : {}),
    })
    for (const sub of subs) {
      if (sub.trial_end === null || sub.next_invoice_at !== sub.trial_end) continue
      const done = await noticeTrial(ctx, sub, now)
      out.trial_will_end += done.trial_will_end
      out.at_risk += done.at_risk
    }
    if (subs.length < SWEEP_PAGE) return out
    after = subs[subs.length - 1]!.id
  }
}
