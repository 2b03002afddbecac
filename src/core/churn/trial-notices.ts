import type { BillingContext } from '../context.js'
import { notify } from '../notifications/notify.js'
import type { SubscriptionRecord } from '../subscriptions/types.js'
import { isoTime } from '../time/iso-time.js'
import { atRiskKey, hasPaymentMethod, notifyAtRisk } from './at-risk.js'
import { SWEEP_PAGE } from './churn-constants.js'
import { trialNotice } from './churn-rules.js'
import { settle, settledToday } from './settled-today.js'

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
  const none = { trial_will_end: 0, at_risk: 0 }
  const notice = trialNotice(sub, now, ctx.notifications.churn.trialNoticeMs)
  if (notice === null || sub.trial_end === null) return none
  const occurrence = `${sub.id}:${sub.trial_end}`
  const key =
    notice === 'ended'
      ? atRiskKey(sub.customer_id, 'trial_ended_without_payment_method', occurrence)
      : `subscription.trial_will_end:${occurrence}`
  if (settledToday(ctx, now, key)) return none
  const has = await hasPaymentMethod(ctx, sub.customer_id)
  let stored = false
  if (notice === 'ended') {
    if (!has) {
      stored = await notifyAtRisk(ctx, sub.customer_id, 'trial_ended_without_payment_method', occurrence, {
        subscription_id: sub.id,
        trial_end: isoTime(sub.trial_end),
      })
    }
  } else {
    ;({ stored } = await notify(ctx, {
      type: 'subscription.trial_will_end',
      key,
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
    }))
  }
  settle(ctx, now, key)
  if (!stored) return none
  return notice === 'ended' ? { trial_will_end: 0, at_risk: 1 } : { trial_will_end: 1, at_risk: 0 }
}

/**
 * The trial step of `tick`: subscriptions whose first invoice boundary (a trialing subscription's
 * trial end) comes within the notice (`trialNoticeDays`, default 3), read with `listDue` page by page. A trial not yet
 * invoiced keeps `next_invoice_at` at its trial end, so this finds every trial about to end, and
 * those just ended when it runs before the invoice run. Costs the `listDue` reads of subscriptions
 * with a boundary before the notice's end a tick, and, once a UTC day per process, a payment-method
 * read and an idempotent insert per trial in the window.
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
      due_by: now + ctx.notifications.churn.trialNoticeMs,
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
