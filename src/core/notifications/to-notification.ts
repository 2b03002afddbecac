import type { NotificationRecord } from '../ports/index.js'
import type { Notification } from './types.js'

/**
 * The public form of a stored notification: what handlers, webhooks and `notifications.list` see.
 *
 * @example
 * toNotification(record).created_at // '2026-01-01T00:00:00.000Z'
 */
export function toNotification(record: NotificationRecord): Notification {
  return {
    id: record.id,
    type: record.type,
    created_at: new Date(record.created_at).toISOString(),
    customer_id: record.customer_id,
    data: record.data,
  }
}
