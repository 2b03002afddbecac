/** How a meter turns matching events into one quantity per customer and window. */
export type Aggregation = 'count' | 'sum' | 'max' | 'min' | 'unique_count' | 'latest'

/** What `billing.meters.create` takes. */
export interface MeterInput {
  code: string
  name?: string
  event_name: string
  aggregation: Aggregation
  /** The event property aggregated; required for all but `count`. */
  property?: string
  /** Only events whose property equals one of the listed values count. */
  filters?: Readonly<Record<string, ReadonlyArray<string | number | boolean>>>
}

/** A meter as stored and returned. */
export interface Meter {
  code: string
  name: string | null
  event_name: string
  aggregation: Aggregation
  property: string | null
  /** Filter values, normalized to strings (an event value matches by its string form). */
  filters: Record<string, string[]> | null
  created_at: string
}

/** The latest value of a bucket: the event with the greatest (timestamp, idempotency_key). */
export interface LatestValue {
  timestamp: number
  key: string
  value: string
}

/**
 * Aggregated state of one meter for one customer over some events: one bucket's rollup row, a
 * batch's delta, or a whole window. Decimal values are exact decimal strings. Only the fields the
 * meter's aggregation needs are filled; the others are null.
 */
export interface RollupState {
  count: number
  sum: string | null
  min: string | null
  max: string | null
  latest: LatestValue | null
  /** Distinct values, for `unique_count`. */
  values: string[] | null
}

/** A change to one rollup row: the (meter, customer, bucket) it lands on and what to merge in. */
export interface RollupDelta extends RollupState {
  meter: string
  customer_id: string
  /** Start of the bucket, epoch milliseconds. */
  bucket: number
}
