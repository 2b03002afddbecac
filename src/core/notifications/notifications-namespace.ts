import type { BillingContext } from '../context.js'
import { ErrorCode, ValidationError } from '../errors.js'
import { type Page, pageOf, parsePageQuery } from '../paging.js'
import { type DeliveryResult, deliverNotifications } from './deliver.js'
import { toNotification } from './to-notification.js'
import { NOTIFICATION_TYPES, type Notification, type NotificationType } from './types.js'

/** `notifications.list`: a page in the order they were written, narrowed by type and customer. */
export interface ListNotificationsQuery {
  /** Notifications written after the one with this id (with `order: 'desc'`, before it). */
  after?: string
  /** `'asc'` (default): oldest first, to follow along. `'desc'`: newest first, to show what just happened. */
  order?: 'asc' | 'desc'
  /** `next_cursor` of the previous page (instead of `after`). */
  cursor?: string
  type?: NotificationType
  customer_id?: string
  /** 1 to 1,000; default 100. */
  limit?: number
}

/** `notifications.redeliver`: which parked notifications to deliver again. */
export interface RedeliverQuery {
  /** `handler` or `webhook:<url>`; every destination when omitted. */
  destination?: string
  /** Only these notifications; every parked one when omitted. */
  ids?: readonly string[]
}

/** `billing.notifications`. */
export interface NotificationsApi {
  /** A page of notifications, oldest first (or newest first): `{ data, has_more, next_cursor }`. */
  list(query?: ListNotificationsQuery): Promise<Page<Notification>>
  /** Delivers everything due to every destination (also run by `tick()`). */
  deliver(): Promise<DeliveryResult>
  /** Puts parked (`failed`) notifications back in line, due now; answers how many. */
  redeliver(query?: RedeliverQuery): Promise<{ redelivered: number }>
}

/**
 * The `billing.notifications` namespace.
 *
 * @example
 * const { data } = await billing.notifications.list({ type: 'invoice.paid', limit: 10 })
 */
export function notificationsNamespace(ctx: BillingContext): NotificationsApi {
  return {
    list: (query) => listNotifications(ctx, query),
    deliver: () => deliverNotifications(ctx),
    redeliver: (query) => redeliver(ctx, query),
  }
}

const invalid = (path: string, message: string) =>
  new ValidationError(ErrorCode.VALIDATION_ERROR, `${path} ${message}`, { path })

async function listNotifications(
  ctx: BillingContext,
  query: ListNotificationsQuery = {},
): Promise<Page<Notification>> {
  if (query.after !== undefined && query.cursor !== undefined)
    throw invalid('after', 'cannot be given with cursor')
  if (query.after !== undefined && (typeof query.after !== 'string' || query.after === ''))
    throw invalid('after', 'must be a notification id')
  const page = parsePageQuery(query)
  const after = query.after ?? page.after
  if (query.type !== undefined && !NOTIFICATION_TYPES.includes(query.type))
    throw invalid('type', 'is not a notification type')
  if (query.customer_id !== undefined && (typeof query.customer_id !== 'string' || query.customer_id === ''))
    throw invalid('customer_id', 'must be a customer id')
  if (query.order !== undefined && query.order !== 'asc' && query.order !== 'desc')
    throw invalid('order', "must be 'asc' or 'desc'")
  const rows = await ctx.storage.notifications.list({
    limit: page.limit + 1,
    ...(query.order === 'desc' ? { newest_first: true } : {}),
    ...(after !== undefined ? { after } : {}),
    ...(query.type !== undefined ? { type: query.type } : {}),
    ...(query.customer_id !== undefined ? { customer_id: query.customer_id } : {}),
  })
  return pageOf(rows.map(toNotification), page.limit, (n) => n.id)
}

async function redeliver(ctx: BillingContext, query: RedeliverQuery = {}): Promise<{ redelivered: number }> {
  const names = ctx.notifications.destinations.map((d) => d.name)
  if (query.destination !== undefined && !names.includes(query.destination))
    throw invalid('destination', `must be one of the configured destinations: ${names.join(', ') || 'none'}`)
  if (
    query.ids !== undefined &&
    (!Array.isArray(query.ids) || query.ids.some((id) => typeof id !== 'string'))
  )
    throw invalid('ids', 'must be an array of notification ids')
  let redelivered = 0
  for (const name of query.destination === undefined ? names : [query.destination])
    redelivered += await ctx.storage.notifications.redeliver(name, ctx.now(), query.ids)
  return { redelivered }
}
