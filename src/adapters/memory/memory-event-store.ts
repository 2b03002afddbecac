import type { PreparedEvent, StoredEvent } from '../../core/events/types.js'
import type { RollupDelta } from '../../core/meters/types.js'
import type {
  AppendOutcome,
  EdgeQuery,
  EffectsOf,
  EventQuery,
  EventStore,
  PeriodClose,
} from '../../core/ports/index.js'
import type { MemoryUsage } from './memory-usage.js'

/**
 * The memory event log. Each method runs without yielding, so an append is atomic with respect to
 * every other call.
 */
export class MemoryEventStore implements EventStore {
  readonly #usage: MemoryUsage

  constructor(usage: MemoryUsage) {
    this.#usage = usage
  }

  async append(events: readonly PreparedEvent[], effects: EffectsOf): Promise<AppendOutcome[]> {
    const usage = this.#usage
    const effectsOf = effects(usage.meters)
    const deltas: RollupDelta[] = []
    const outcomes = events.map((event): AppendOutcome => {
      const existing = usage.events.get(event.idempotency_key)
      if (existing) {
        const status = existing.hash === event.payload_hash ? 'duplicate' : 'conflict'
        return { status, stored_hash: existing.hash }
      }
      const closedBefore = usage.closed.get(event.customer_id)
      if (closedBefore !== undefined && event.timestamp < closedBefore) {
        return { status: 'closed', closed_before: closedBefore }
      }
      const { deltas: own, warnings } = effectsOf(usage.store(event))
      deltas.push(...own)
      return { status: 'accepted', warnings }
    })
    usage.apply(deltas)
    return outcomes
  }

  async list(query: EventQuery): Promise<StoredEvent[]> {
    return this.#usage.byCustomer.get(query.customer_id)?.page(query) ?? []
  }

  async readEdges(query: EdgeQuery): Promise<StoredEvent[]> {
    const log = this.#usage.byCustomer.get(query.customer_id)
    if (log === undefined) return []
    return log.range(query.from, query.to).filter((e) => e.event_name === query.event_name)
  }

  async closePeriods(closes: readonly PeriodClose[]): Promise<void> {
    const closed = this.#usage.closed
    for (const { customer_id, before } of closes) {
      if ((closed.get(customer_id) ?? Number.NEGATIVE_INFINITY) < before) closed.set(customer_id, before)
    }
  }
}
