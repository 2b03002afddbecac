import type { BillingContext } from '../context.js'
import { ingestEvents } from './ingest.js'
import { type EventPage, type ListEventsQuery, listEvents } from './list-events.js'
import type { IngestInput, IngestResult } from './types.js'

/** `billing.events`: the usage event log. */
export interface EventsApi {
  /** Stores usage events exactly once each and answers per event. */
  ingest(input: IngestInput): Promise<IngestResult>
  /** Pages one customer's event log, oldest first. */
  list(query: ListEventsQuery): Promise<EventPage>
}

/**
 * The `events` namespace of a billing instance on `ctx`.
 *
 * @example
 * const events = eventsNamespace(ctx)
 * await events.ingest({ events: [{ event_name: 'api_call', customer_id: 'cus_1', idempotency_key: 'req_1' }] })
 */
export function eventsNamespace(ctx: BillingContext): EventsApi {
  return {
    ingest: (input) => ingestEvents(ctx, input),
    list: (query) => listEvents(ctx, query),
  }
}
