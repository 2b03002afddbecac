import type { PreparedEvent, StoredEvent } from './events/types.js'
import type { EffectsFn, MeterWarning } from './meters/meter-effects.js'
import type { Meter, RollupState } from './meters/types.js'

/**
 * What a storage can do beyond the port's promises; conformance tests switch on these.
 */
export interface StorageCapabilities {
  /**
   * Several OS processes may open the same store at once and every promise below still holds
   * across them. SQL storages: true. The memory storage lives in one process: false.
   */
  readonly sharedAcrossProcesses: boolean
}

/** The outcome of appending one event. */
export type AppendOutcome =
  | { status: 'accepted'; warnings: MeterWarning[] }
  | { status: 'duplicate' | 'conflict'; stored_hash: string }

/** A page request over one customer's events, in (timestamp, seq) order. */
export interface EventQuery {
  customer_id: string
  /** Inclusive lower bound, epoch ms. */
  from?: number
  /** Exclusive upper bound, epoch ms. */
  to?: number
  /** Resume strictly after this (timestamp, seq) position. */
  after?: { timestamp: number; seq: number }
  limit: number
}

/** One meter's rollups for one customer over whole buckets `[fromBucket, toBucket)`. */
export interface RollupQuery {
  meter: string
  customer_id: string
  fromBucket: number
  toBucket: number
}

/** Raw events of one customer and event name in `[from, to)`, for windows' partial buckets. */
export interface EdgeQuery {
  customer_id: string
  event_name: string
  from: number
  to: number
}

/**
 * The storage port: the only thing a storage adapter implements. It speaks the domain, and each
 * adapter keeps every promise natively (unique keys, `ON CONFLICT`, row locks), not in core.
 *
 * The meter rule in every promise: the rollups always equal what `effects` gives for the stored
 * events under the stored meters, whatever runs concurrently.
 */
export interface Storage {
  /** A short name for messages and test titles (`'sqlite'`). */
  readonly name: string
  readonly capabilities: StorageCapabilities

  /**
   * Creates or upgrades the schema. Safe when several processes call it at once: one migrates,
   * the others wait and find it done.
   */
  migrate(): Promise<void>

  /** Releases what this storage opened; leaves alone a pool or database handle the host passed in. */
  close(): Promise<void>

  /**
   * Stores events and their rollup deltas in one transaction, and resolves only once it is
   * durably committed. Keys in `events` are distinct.
   *
   * Concurrency: for each idempotency key, exactly one call ever stores it, across all callers and
   * processes; every later call gets `duplicate` (same payload hash) or `conflict` (different),
   * with the stored hash, and changes nothing. The deltas of an event are applied exactly when it is
   * stored, computed by `effects` under the meters current inside that transaction (a meter being
   * created concurrently either sees the event in its backfill or counts it here, never both).
   */
  appendEvents(
    events: readonly PreparedEvent[],
    effects: (meters: readonly Meter[]) => EffectsFn,
  ): Promise<AppendOutcome[]>

  /**
   * Creates a meter and backfills its rollups from every stored event, atomically with respect to
   * `appendEvents`. Concurrency: for one code, exactly one call creates it (returns `true`); the
   * others return `false` and change nothing.
   */
  createMeter(meter: Meter, effects: (meters: readonly Meter[]) => EffectsFn): Promise<boolean>

  /** A meter by code, or null. */
  getMeter(code: string): Promise<Meter | null>

  /** Every meter, by creation order. */
  listMeters(): Promise<Meter[]>

  /**
   * The merged rollup state of one meter and customer over whole buckets. Costs O(rows read), never
   * O(events). Reads only committed data.
   */
  readRollups(query: RollupQuery): Promise<RollupState>

  /** One customer's events of one name in `[from, to)`: the partial buckets at a window's edges. */
  readEdgeEvents(query: EdgeQuery): Promise<StoredEvent[]>

  /** A page of one customer's events in (timestamp, seq) order. */
  listEvents(query: EventQuery): Promise<StoredEvent[]>
}
