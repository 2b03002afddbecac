import type { PreparedEvent, StoredEvent } from '../../core/events/types.js'
import { aggregateDeltas, RollupAccumulator } from '../../core/meters/rollup.js'
import type { Meter, RollupDelta, RollupState } from '../../core/meters/types.js'
import { CustomerEventLog } from './customer-event-log.js'

/**
 * The state the memory event and meter stores share: the event log, the meters, their rollups and
 * the closed-usage marks. Appends and meter creation both change the log and the rollups together.
 */
export class MemoryUsage {
  readonly events = new Map<string, { hash: string; event: StoredEvent }>()
  readonly byCustomer = new Map<string, CustomerEventLog>()
  readonly rollups = new Map<string, Map<number, RollupState>>()
  readonly closed = new Map<string, number>()
  meters: readonly Meter[] = []
  #seq = 0

  /** The rollup buckets of one meter and customer. */
  buckets(meter: string, customer_id: string): Map<number, RollupState> | undefined {
    return this.rollups.get(`${meter}\u0000${customer_id}`)
  }

  /** Stores an accepted event with the next sequence number. */
  store(event: PreparedEvent): StoredEvent {
    const stored: StoredEvent = {
      idempotency_key: event.idempotency_key,
      customer_id: event.customer_id,
      event_name: event.event_name,
      timestamp: event.timestamp,
      properties: event.properties,
      received_at: event.received_at,
      seq: ++this.#seq,
    }
    this.events.set(event.idempotency_key, { hash: event.payload_hash, event: stored })
    let log = this.byCustomer.get(event.customer_id)
    if (log === undefined) {
      log = new CustomerEventLog()
      this.byCustomer.set(event.customer_id, log)
    }
    log.insert(stored)
    return stored
  }

  /** Adds rollup deltas to their buckets. */
  apply(deltas: readonly RollupDelta[]): void {
    for (const delta of aggregateDeltas(deltas)) {
      const key = `${delta.meter}\u0000${delta.customer_id}`
      let buckets = this.rollups.get(key)
      if (buckets === undefined) {
        buckets = new Map()
        this.rollups.set(key, buckets)
      }
      const current = buckets.get(delta.bucket)
      buckets.set(
        delta.bucket,
        current === undefined ? delta : new RollupAccumulator().add(current).add(delta).result(),
      )
    }
  }
}
