import type { TimeInput } from '../time/time-input.js'

/** A property value: events carry a flat object of these. */
export type PropertyValue = string | number | boolean | null

/** One usage event as the host sends it. */
export interface EventInput {
  event_name: string
  customer_id: string
  /** Unique for the whole store, forever: a retry with the same key is a no-op. */
  idempotency_key: string
  /**
   * When the usage happened; defaults to now. At most 5 minutes ahead, not before 2000-01-01. An
   * ISO-8601 string needs `Z` or an offset and may carry up to 9 fractional digits (Go's and
   * Python's own formats), kept to the millisecond.
   */
  timestamp?: TimeInput
  properties?: Record<string, PropertyValue>
  /** Settles this reservation (`billing.entitlements.reserve`) with the event's real quantity. */
  reservation_id?: string
}

/** What `billing.events.ingest` takes. */
export interface IngestInput {
  events: readonly EventInput[]
}

export type IngestStatus = 'accepted' | 'duplicate' | 'conflict' | 'rejected'

/** Why one event was refused: a stable code, words, and the offending field. */
export interface EventError {
  code: string
  message: string
  path?: string
}

/** The outcome of one event of a batch, by its index in the batch. */
export interface IngestEventResult {
  index: number
  idempotency_key: string | null
  status: IngestStatus
  error?: EventError
}

/** A note on an accepted event, e.g. a meter could not read its property. */
export interface IngestWarning {
  index: number
  code: string
  message: string
}

/** What `billing.events.ingest` resolves with, once the batch is durably stored. */
export interface IngestResult {
  accepted: number
  duplicates: number
  conflicts: number
  rejected: number
  results: IngestEventResult[]
  warnings: IngestWarning[]
}

/** An event after validation: normalized, hashed, ready to store. */
export interface PreparedEvent {
  idempotency_key: string
  customer_id: string
  event_name: string
  /** Epoch milliseconds. */
  timestamp: number
  properties: Record<string, PropertyValue>
  /** Canonical JSON of `properties` (keys sorted), as stored. */
  properties_json: string
  /** Hash of the caller-supplied payload; equal hashes mean "the same event". */
  payload_hash: string
  /** Epoch milliseconds when this process received it. */
  received_at: number
  /** The reservation this event settles, when it names one. */
  reservation_id?: string
}

/** An event as storages return it. */
export interface StoredEvent {
  idempotency_key: string
  customer_id: string
  event_name: string
  timestamp: number
  properties: Record<string, PropertyValue>
  received_at: number
  /** Storage order among events with the same timestamp; opaque, only for paging. */
  seq: number
}

/** An event as the public API returns it. */
export interface BillingEvent {
  idempotency_key: string
  customer_id: string
  event_name: string
  timestamp: string
  properties: Record<string, PropertyValue>
  received_at: string
}
