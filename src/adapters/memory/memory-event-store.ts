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
import { copy } from './documents.js'
import type { MemoryAllowances } from './memory-allowances.js'
import type { MemoryUsage } from './memory-usage.js'

/**
 * The memory event log. Each method runs without yielding, so an append is atomic with respect to
 * every other call.
 */
export class MemoryEventStore implements EventStore {
  readonly #usage: MemoryUsage
  readonly #allowances: MemoryAllowances

  constructor(usage: MemoryUsage, allowances: MemoryAllowances) {
    this.#usage = usage
    this.#allowances = allowances
  }

  async append(events: readonly PreparedEvent[], effects: EffectsOf): Promise<AppendOutcome[]> {
    const usage = this.#usage
    const effectsOf = effects(usage.meters)
    const ledger = this.#ledgerFor(events)
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
      const { deltas: own, warnings } = effectsOf(event)
      if (ledger !== null) {
        const limited = own.filter((d) => this.#allowances.limited.has(d.meter))
        if (limited.length > 0 || event.reservation_id !== undefined) {
          const refusal = ledger.admit({ ...event, deltas: limited }, true)
          if (refusal !== null) return { status: 'refused', refusal }
        }
      }
      usage.store(event)
      deltas.push(...own)
      return { status: 'accepted', warnings }
    })
    usage.apply(deltas)
    if (ledger !== null && ledger.changedAllowances.size > 0) {
      this.#allowances.commit(ledger)
      const allowances = [...ledger.changedAllowances].map(copy)
      for (const outcome of outcomes) {
        if (outcome.status === 'accepted' || outcome.status === 'refused') outcome.allowances = allowances
      }
    }
    return outcomes
  }

  // Only a batch that touches a limited meter or names a reservation is weighed.
  #ledgerFor(events: readonly PreparedEvent[]) {
    const allowances = this.#allowances
    if (allowances.limited.size === 0 && !events.some((e) => e.reservation_id !== undefined)) return null
    const pairs: Array<readonly [string, string]> = []
    const reservations: string[] = []
    let now = 0
    for (const event of events) {
      for (const meter of allowances.limited) pairs.push([event.customer_id, meter])
      if (event.reservation_id !== undefined) reservations.push(event.reservation_id)
      if (event.received_at > now) now = event.received_at
    }
    return allowances.ledger(pairs, reservations, now)
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
