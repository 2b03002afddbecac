import { notificationRecord } from '../notifications/notify.js'
import type { NotificationData } from '../notifications/types.js'
import type { Outbox } from '../ports/index.js'
import { isoTime as iso } from '../time/iso-time.js'
import { statusAt } from './subscription-view.js'
import type { SubscriptionRecord } from './types.js'

/** The notifications a subscription's change reports. */
export type SubscriptionNotificationType =
  | 'subscription.paused'
  | 'subscription.resumed'
  | 'subscription.canceled'

/**
 * What every subscription notification carries: the subscription as written (its plan now, its
 * status at `now`, when it ends) and the status it had before the change.
 *
 * @example
 * subscriptionData(written, 'active', now) // { subscription_id: 'sub_…', status: 'paused', previous_status: 'active', … }
 */
export function subscriptionData(
  sub: SubscriptionRecord,
  previous: SubscriptionRecord['status'],
  now: number,
): NotificationData {
  const phase = [...sub.phases].reverse().find((p) => p.start <= now) ?? sub.phases[0]!
  return {
    subscription_id: sub.id,
    customer_id: sub.customer_id,
    plan_code: phase.plan_code,
    status: statusAt(sub, now),
    previous_status: previous,
    currency: sub.currency,
    cancel_at_period_end: sub.cancel_at_period_end,
    canceled_at: sub.canceled_at === null ? null : iso(sub.canceled_at),
    ends_at: sub.end_at === null ? null : iso(sub.end_at),
  }
}

/**
 * The outbox of `subscriptions.update` reporting `type`, keyed `<type>:<subscription id>:<revision>`:
 * a subscription may pause, resume or change its cancellation again later, and each write is its
 * own notification. `extra` joins the data (e.g. the invoice whose final failure paused it).
 *
 * @example
 * await storage.subscriptions.update(next, subscriptionOutbox(now, 'subscription.paused', sub.status, { invoice_id }))
 */
export function subscriptionOutbox(
  now: number,
  type: SubscriptionNotificationType,
  previous: SubscriptionRecord['status'],
  extra: NotificationData = {},
): Outbox<SubscriptionRecord> {
  return (sub) => [
    notificationRecord(now, {
      type,
      key: `${type}:${sub.id}:${sub.revision}`,
      customer_id: sub.customer_id,
      data: { ...subscriptionData(sub, previous, now), ...extra },
    }),
  ]
}

/**
 * The outbox of a kept-status change from `from` to `to`: `subscription.paused` when it pauses,
 * `subscription.resumed` when a past-due or paused subscription is active again, else none.
 *
 * @example
 * await storage.subscriptions.update(next, statusChangeOutbox(now, 'paused', 'active', { invoice_id }))
 */
export function statusChangeOutbox(
  now: number,
  from: SubscriptionRecord['status'],
  to: SubscriptionRecord['status'],
  extra: NotificationData = {},
): Outbox<SubscriptionRecord> | undefined {
  if (to === from) return undefined
  if (to === 'paused') return subscriptionOutbox(now, 'subscription.paused', from, extra)
  if (to === 'active') return subscriptionOutbox(now, 'subscription.resumed', from, extra)
  return undefined
}
