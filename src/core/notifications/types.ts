/** Every kind of notification kobometer writes. */
export const NOTIFICATION_TYPES = [
  'usage.threshold_reached',
  'entitlement.exhausted',
  'entitlement.restored',
  'invoice.finalized',
  'invoice.paid',
  'invoice.payment_failed',
  'invoice.uncollectible',
  'invoice.needs_attention',
  'invoice.voided',
  'payment.succeeded',
  'payment.refunded',
  'subscription.trial_will_end',
  'subscription.paused',
  'subscription.resumed',
  'subscription.canceled',
  'customer.at_risk',
] as const

/** One of {@link NOTIFICATION_TYPES}. */
export type NotificationType = (typeof NOTIFICATION_TYPES)[number]

/** A JSON value, as a notification's `data` holds it. */
export type NotificationData = Record<string, unknown>

/** A notification as handlers, webhooks and `notifications.list` see it. */
export interface Notification {
  /** `ntf_…`: stable across redeliveries; receivers dedupe by it. */
  id: string
  type: NotificationType
  created_at: string
  customer_id: string | null
  data: NotificationData
}
