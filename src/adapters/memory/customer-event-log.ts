import type { StoredEvent } from '../../core/events/types.js'
import type { EventQuery } from '../../core/ports/index.js'

const before = (a: StoredEvent, b: { timestamp: number; seq: number }) =>
  a.timestamp < b.timestamp || (a.timestamp === b.timestamp && a.seq < b.seq)

/**
 * One customer's events kept in (timestamp, seq) order: the memory storage's equivalent of the SQL
 * index on (customer_id, timestamp, seq). Appends in time order are O(1); late events are inserted
 * by binary search.
 */
export class CustomerEventLog {
  #events: StoredEvent[] = []

  insert(event: StoredEvent): void {
    const last = this.#events.at(-1)
    if (last === undefined || before(last, event)) {
      this.#events.push(event)
      return
    }
    this.#events.splice(this.#lowerBound(event), 0, event)
  }

  /** Events with `from <= timestamp < to`. */
  range(from: number, to: number): StoredEvent[] {
    const start = this.#lowerBound({ timestamp: from, seq: 0 })
    const out: StoredEvent[] = []
    for (let i = start; i < this.#events.length && this.#events[i]!.timestamp < to; i++)
      out.push(this.#events[i]!)
    return out
  }

  /** One page in (timestamp, seq) order after `query.after`, within `[from, to)`. */
  page(query: EventQuery): StoredEvent[] {
    const from = query.from ?? Number.NEGATIVE_INFINITY
    const to = query.to ?? Number.POSITIVE_INFINITY
    let i = this.#lowerBound({ timestamp: from, seq: 0 })
    if (query.after)
      i = Math.max(i, this.#lowerBound({ timestamp: query.after.timestamp, seq: query.after.seq + 1 }))
    const out: StoredEvent[] = []
    for (; i < this.#events.length && out.length < query.limit && this.#events[i]!.timestamp < to; i++) {
      out.push(this.#events[i]!)
    }
    return out
  }

  // First index whose event is not before `position`.
  #lowerBound(position: { timestamp: number; seq: number }): number {
    let lo = 0
    let hi = this.#events.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (before(this.#events[mid]!, position)) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}
