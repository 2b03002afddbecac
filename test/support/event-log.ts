import type { Billing } from '../../src/index.js'

type StoredEvent = Awaited<ReturnType<Billing['events']['list']>>['data'][number]

/**
 * Every event in one customer's log, oldest first, read page by page: what the store really holds,
 * for tests that compare it with what they sent.
 *
 * @example
 * const log = await eventLog(billing, 'cus_1')
 * expect(log.map((e) => e.idempotency_key)).toEqual(['req_1', 'req_2'])
 */
export async function eventLog(
  billing: Pick<Billing, 'events'>,
  customer_id: string,
): Promise<StoredEvent[]> {
  const events: StoredEvent[] = []
  let cursor: string | undefined
  do {
    const page = await billing.events.list({ customer_id, limit: 1000, ...(cursor ? { cursor } : {}) })
    events.push(...page.data)
    cursor = page.next_cursor ?? undefined
  } while (cursor)
  return events
}
