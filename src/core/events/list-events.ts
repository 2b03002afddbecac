import type { BillingContext } from '../context.js'
import { ErrorCode, ValidationError } from '../errors.js'
import { assertCustomerId } from '../text.js'
import { isoTime } from '../time/iso-time.js'
import { requireTime, type TimeInput } from '../time/time-input.js'
import type { BillingEvent } from './types.js'

/** What `billing.events.list` takes. */
export interface ListEventsQuery {
  customer_id: string
  from?: TimeInput
  to?: TimeInput
  /** Page size, 1 to 1,000; default 100. */
  limit?: number
  /** `next_cursor` of the previous page. */
  cursor?: string
}

/** One page of events, oldest first. */
export interface EventPage {
  data: BillingEvent[]
  has_more: boolean
  /** Pass as `cursor` for the next page; null on the last page. */
  next_cursor: string | null
}

function decodeCursor(cursor: string): { timestamp: number; seq: number } {
  const match = /^(\d+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString())
  if (!match)
    throw new ValidationError(ErrorCode.INVALID_CURSOR, 'cursor is not one this API returned', {
      path: 'cursor',
    })
  return { timestamp: Number(match[1]), seq: Number(match[2]) }
}

/**
 * `billing.events.list`: pages one customer's event log in timestamp order.
 *
 * @example
 * let page = await listEvents(ctx, { customer_id: 'cus_1', limit: 500 })
 * while (page.next_cursor) page = await listEvents(ctx, { customer_id: 'cus_1', cursor: page.next_cursor })
 */
export async function listEvents(ctx: BillingContext, query: ListEventsQuery): Promise<EventPage> {
  assertCustomerId(query?.customer_id)
  const limit = query.limit ?? 100
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new ValidationError(ErrorCode.VALIDATION_ERROR, 'limit must be an integer from 1 to 1000', {
      path: 'limit',
    })
  }
  const rows = await ctx.storage.events.list({
    customer_id: query.customer_id,
    ...(query.from === undefined ? {} : { from: requireTime(query.from, 'from') }),
    ...(query.to === undefined ? {} : { to: requireTime(query.to, 'to') }),
    ...(query.cursor === undefined ? {} : { after: decodeCursor(query.cursor) }),
    limit: limit + 1,
  })
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  const has_more = rows.length > limit
  return {
    data: page.map((e) => ({
      idempotency_key: e.idempotency_key,
      customer_id: e.customer_id,
      event_name: e.event_name,
      timestamp: isoTime(e.timestamp),
      properties: e.properties,
      received_at: isoTime(e.received_at),
    })),
    has_more,
    next_cursor: has_more && last ? Buffer.from(`${last.timestamp}:${last.seq}`).toString('base64url') : null,
  }
}
