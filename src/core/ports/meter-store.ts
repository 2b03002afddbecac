import type { Meter, RollupState } from '../meters/types.js'
import type { EffectsOf } from './event-store.js'

/** One meter's rollups for one customer over whole buckets `[fromBucket, toBucket)`. */
export interface RollupQuery {
  meter: string
  customer_id: string
  fromBucket: number
  toBucket: number
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
}
