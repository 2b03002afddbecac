import { createHash } from 'node:crypto'
import type { BillingContext } from '../context.js'
import type { NotificationRecord } from '../ports/index.js'
import type { NotificationData, NotificationType } from './types.js'

/** What a writer reports: the change, and the key that names it once (`invoice.paid:in_1`). */
export interface NotificationDraft {
  type: NotificationType
  /** Names the change reported; a second write with the same key stores nothing. */
  key: string
  customer_id: string | null
  data: NotificationData
}

/**
 * The notification id of a key: the same key always gives the same id, so a writer that runs twice
 * (a retried transaction, two processes) writes one notification that receivers see under one id.
 *
 * @example
 * notificationId('invoice.paid:in_1') // 'ntf_…' (26 characters after the prefix, always the same)
 */
export function notificationId(key: string): string {
  return `ntf_${createHash('sha256').update(key).digest('base64url').slice(0, 26)}`
}

/**
 * The stored form of a draft, created at `now` with the id its key gives: what an {@link Outbox}
 * returns for the change it reports.
 *
 * @example
 * const outbox = (invoice) => [notificationRecord(ctx.now(), { type: 'invoice.paid', key: `invoice.paid:${invoice.id}`, customer_id: invoice.customer_id, data: { invoice_id: invoice.id } })]
 */
export function notificationRecord(now: number, draft: NotificationDraft): NotificationRecord {
  return {
    id: notificationId(draft.key),
    key: draft.key,
    type: draft.type,
    customer_id: draft.customer_id,
    created_at: now,
    data: draft.data,
  }
}

/**
 * Writes a notification to the outbox unless one with its key exists; answers the record and
 * whether this call stored it. Delivery happens later, from `notifications.deliver()` or `tick()`.
 *
 * @example
 * await notify(ctx, { type: 'invoice.paid', key: `invoice.paid:${invoice.id}`, customer_id, data: { invoice_id } })
 */
export async function notify(
  ctx: Pick<BillingContext, 'storage' | 'now'>,
  draft: NotificationDraft,
): Promise<{ record: NotificationRecord; stored: boolean }> {
  const record = notificationRecord(ctx.now(), draft)
  const [stored] = await ctx.storage.notifications.add([record])
  return { record, stored: stored === true }
}
