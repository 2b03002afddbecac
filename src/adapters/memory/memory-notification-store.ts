import type {
  DeliveryClaim,
  DeliveryState,
  NotificationQuery,
  NotificationRecord,
  NotificationStore,
  Settlement,
} from '../../core/ports/index.js'
import { copy } from './documents.js'

interface Delivery extends DeliveryState {
  lease_until: number | null
}

/**
 * The memory outbox: notifications in insertion order and their delivery state per destination.
 * Each call runs without yielding, so a claim's check and lease are one atomic step.
 *
 * @example
 * const claims = await new MemoryNotificationStore().claim('handler', Date.now(), 60_000, 10)
 */
export class MemoryNotificationStore implements NotificationStore {
  readonly #records: NotificationRecord[] = []
  readonly #byKey = new Set<string>()
  readonly #index = new Map<string, number>()
  /** Per destination, per notification id. */
  readonly #deliveries = new Map<string, Map<string, Delivery>>()

  async add(records: readonly NotificationRecord[]): Promise<boolean[]> {
    return this.addNow(records)
  }

  /** `add` without yielding, for the other stores' outbox records written in their change's step. */
  addNow(records: readonly NotificationRecord[]): boolean[] {
    return records.map((record) => {
      if (this.#byKey.has(record.key) || this.#index.has(record.id)) return false
      this.#byKey.add(record.key)
      this.#index.set(record.id, this.#records.length)
      this.#records.push(copy(record))
      return true
    })
  }

  async list(query: NotificationQuery): Promise<NotificationRecord[]> {
    const step = query.newest_first === true ? -1 : 1
    let from = step === 1 ? 0 : this.#records.length - 1
    if (query.after !== undefined) {
      const at = this.#index.get(query.after)
      if (at === undefined) return []
      from = at + step
    }
    const out: NotificationRecord[] = []
    for (let i = from; i >= 0 && i < this.#records.length && out.length < query.limit; i += step) {
      const record = this.#records[i]!
      if (query.type !== undefined && record.type !== query.type) continue
      if (query.customer_id !== undefined && record.customer_id !== query.customer_id) continue
      out.push(copy(record))
    }
    return out
  }

  async claim(destination: string, now: number, leaseMs: number, limit: number): Promise<DeliveryClaim[]> {
    const at = this.#at(destination)
    const blocked = new Set<string>()
    const out: DeliveryClaim[] = []
    for (const record of this.#records) {
      if (out.length >= limit) break
      const d = at.get(record.id)
      if (d?.status === 'delivered') continue
      const customer = record.customer_id
      if (customer !== null && blocked.has(customer)) continue
      // Whatever happens to this one, the customer's newer notifications wait for it.
      if (customer !== null) blocked.add(customer)
      if (d !== undefined && d.status === 'failed') continue
      if (d?.next_attempt_at != null && d.next_attempt_at > now) continue
      if (d?.lease_until != null && d.lease_until > now) continue
      const delivery = d ?? this.#fresh(record.id, destination)
      at.set(record.id, delivery)
      delivery.attempts += 1
      delivery.lease_until = now + leaseMs
      out.push({ notification: copy(record), attempt: delivery.attempts })
    }
    return out
  }

  async settle(destination: string, settlements: readonly Settlement[]): Promise<void> {
    const at = this.#at(destination)
    for (const { notification_id, outcome } of settlements) {
      const d = at.get(notification_id)
      if (d === undefined) continue
      if (outcome.delivered) {
        Object.assign(d, { status: 'delivered', lease_until: null, next_attempt_at: null, last_error: null })
        continue
      }
      if (d.status !== 'pending') continue
      d.status = outcome.retry_at === null ? 'failed' : 'pending'
      d.lease_until = null
      d.next_attempt_at = outcome.retry_at
      d.last_error = outcome.error
    }
  }

  async redeliver(destination: string, now: number, ids?: readonly string[]): Promise<number> {
    const only = ids === undefined ? null : new Set(ids)
    let count = 0
    for (const d of this.#at(destination).values()) {
      if (d.status !== 'failed' || (only !== null && !only.has(d.notification_id))) continue
      Object.assign(d, { status: 'pending', attempts: 0, next_attempt_at: now, lease_until: null })
      count++
    }
    return count
  }

  async deliveries(notification_id: string): Promise<DeliveryState[]> {
    const out: DeliveryState[] = []
    for (const destination of [...this.#deliveries.keys()].sort()) {
      const d = this.#deliveries.get(destination)!.get(notification_id)
      if (d === undefined) continue
      const { lease_until: _lease, ...state } = d
      out.push({ ...state })
    }
    return out
  }

  #at(destination: string): Map<string, Delivery> {
    let at = this.#deliveries.get(destination)
    if (at === undefined) {
      at = new Map()
      this.#deliveries.set(destination, at)
    }
    return at
  }

  #fresh(notification_id: string, destination: string): Delivery {
    return {
      notification_id,
      destination,
      status: 'pending',
      attempts: 0,
      next_attempt_at: null,
      last_error: null,
      lease_until: null,
    }
  }
}
