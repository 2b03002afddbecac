import type { Aggregation, Meter, RollupState } from '../meters/types.js'
import type { CustomerUsage, TopCustomersQuery, UsagePoint, UsageSeriesQuery } from './dashboard-queries.js'
import type { EffectsOf } from './event-store.js'

/** One meter's rollups for one customer over whole buckets `[fromBucket, toBucket)`. */
export interface RollupQuery {
  meter: string
  customer_id: string
  fromBucket: number
  toBucket: number
  /**
   * The meter's aggregation, when the caller has the meter: its rows carry nothing else besides
   * `count`, so a store may read that alone. The state answered is the same either way.
   */
  aggregation?: Aggregation
  /**
   * `'minute'`: `fromBucket`/`toBucket` are minutes, read from the minute rollups. Only asked of a
   * storage whose `capabilities.minuteRollups` is true, and never for a `unique_count` meter.
   * Default: hours.
   */
  grain?: 'hour' | 'minute'
}

/** One meter's rollups for several customers over the same whole buckets. */
export interface CustomersRollupQuery {
  meter: string
  customer_ids: readonly string[]
  fromBucket: number
  toBucket: number
  /** As in {@link RollupQuery}. */
  aggregation?: Aggregation
}

/**
 * Meters and the rollups they keep.
 *
 * @example
 * const created = await storage.meters.insert(meter, (meters) => compileMeterEffects(meters))
 */
export interface MeterStore {
  /**
   * Stores a meter and backfills its rollups from every stored event, atomically with respect to
   * `events.append`. Concurrency: for one code, exactly one call stores it (`true`); the others
   * return `false` and change nothing.
   */
  insert(meter: Meter, effects: EffectsOf): Promise<boolean>

  /** A meter by code, or null. */
  get(code: string): Promise<Meter | null>

  /** Every meter, by creation order. */
  list(): Promise<Meter[]>

  /**
   * The merged rollup state of one meter and customer over whole buckets. Costs O(rows read), never
   * O(events). Reads only committed data.
   */
  readRollups(query: RollupQuery): Promise<RollupState>

  /**
   * `readRollups` for each of `customer_ids` at once (one state per id, in their order; a customer
   * without rows gets the empty state), so a page of invoices reads a meter's usage in one query.
   * Costs O(rows read). Reads only committed data.
   */
  readRollupsOfCustomers(query: CustomersRollupQuery): Promise<RollupState[]>

  /**
   * The hours of `[from, to)` with rollups, in order, each with its exact quantity under
   * `aggregation`: one customer's, or with no `customer_id` the sum over customers of each
   * customer's quantity (for `min`/`max`, the least/greatest over customers). Hours without usage
   * are absent. One customer: O(hours of the window), by the rollups' key. All customers of a
   * `count`, `sum`, `min` or `max` meter: O(hours of the window), from hourly totals across
   * customers that the SQL stores keep at ingest, in the rollups' transaction (a few rows per hour,
   * whatever the number of customers). A `latest` or `unique_count` meter keeps no such totals (a
   * latest value or a set of distinct values does not add up across customers): its all-customer
   * series reads the window's rollup rows (`latest`: every customer with usage, each hour of the
   * window) or every recorded value of the meter (`unique_count`).
   */
  usageSeries(query: UsageSeriesQuery): Promise<UsagePoint[]>

  /**
   * The `limit` customers with the greatest quantity of a `count` or `sum` meter over whole hours
   * `[from, to)`, greatest first, ties by customer id; customers without usage are absent. Costs
   * a read of the window's rollup rows (every customer with usage, each hour of the window; SQL
   * stores range-scan them by meter and hour), grouped by customer: proportional to the window,
   * not to the meter's history.
   */
  topCustomers(query: TopCustomersQuery): Promise<CustomerUsage[]>
}
