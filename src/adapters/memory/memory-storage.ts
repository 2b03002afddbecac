import type { Customer } from '../../core/customers/types.js'
import type { PreparedEvent, StoredEvent } from '../../core/events/types.js'
import type { Invoice, InvoiceStatus } from '../../core/invoices/types.js'
import type { EffectsFn } from '../../core/meters/meter-effects.js'
import { aggregateDeltas, emptyRollup, RollupAccumulator } from '../../core/meters/rollup.js'
import type { Meter, RollupDelta, RollupState } from '../../core/meters/types.js'
import type { Payment, PaymentMethodRecord } from '../../core/payments/types.js'
import type { Plan } from '../../core/plans/types.js'
import type {
  AppendOutcome,
  EdgeQuery,
  EventQuery,
  InvoiceCreated,
  InvoiceCreation,
  InvoiceNumbering,
  InvoiceQuery,
  InvoiceStatusPatch,
  KeyPageQuery,
  PaymentQuery,
  PeriodClose,
  RollupQuery,
  Storage,
  StorageCapabilities,
} from '../../core/ports.js'
import type { SubscriptionRecord } from '../../core/subscriptions/types.js'
import { BillingDocuments } from './billing-documents.js'
import { CustomerEventLog } from './customer-event-log.js'
import { PaymentDocuments } from './payment-documents.js'

type Effects = (meters: readonly Meter[]) => EffectsFn

/**
 * Everything in this process's memory: for tests, demos and single-process tools. Each method runs
 * to completion without yielding, so calls are atomic with respect to each other; nothing survives
 * the process.
 */
export class MemoryStorage implements Storage {
  readonly name = 'memory'
  readonly capabilities: StorageCapabilities = Object.freeze({ sharedAcrossProcesses: false })

  #events = new Map<string, { hash: string; event: StoredEvent }>()
  #byCustomer = new Map<string, CustomerEventLog>()
  #meters: readonly Meter[] = []
  #rollups = new Map<string, Map<number, RollupState>>()
  #seq = 0
  #docs = new BillingDocuments()
  #payments = new PaymentDocuments()

  async migrate(): Promise<void> {}

  async close(): Promise<void> {}

  async appendEvents(events: readonly PreparedEvent[], effects: Effects): Promise<AppendOutcome[]> {
    const effectsOf = effects(this.#meters)
    const deltas: RollupDelta[] = []
    const outcomes = events.map((event): AppendOutcome => {
      const existing = this.#events.get(event.idempotency_key)
      if (existing) {
        const status = existing.hash === event.payload_hash ? 'duplicate' : 'conflict'
        return { status, stored_hash: existing.hash }
      }
      const closedBefore = this.#docs.closedBefore(event.customer_id)
      if (closedBefore !== undefined && event.timestamp < closedBefore) {
        return { status: 'closed', closed_before: closedBefore }
      }
      const stored = this.#store(event)
      const { deltas: own, warnings } = effectsOf(stored)
      deltas.push(...own)
      return { status: 'accepted', warnings }
    })
    this.#apply(deltas)
    return outcomes
  }

  async createMeter(meter: Meter, effects: Effects): Promise<boolean> {
    if (this.#meters.some((m) => m.code === meter.code)) return false
    this.#meters = [...this.#meters, meter]
    const effectsOf = effects([meter])
    const deltas: RollupDelta[] = []
    for (const { event } of this.#events.values()) {
      if (event.event_name === meter.event_name) deltas.push(...effectsOf(event).deltas)
    }
    this.#apply(deltas)
    return true
  }

  async getMeter(code: string): Promise<Meter | null> {
    return this.#meters.find((m) => m.code === code) ?? null
  }

  async listMeters(): Promise<Meter[]> {
    return [...this.#meters]
  }

  async readRollups(query: RollupQuery): Promise<RollupState> {
    const buckets = this.#rollups.get(`${query.meter}\u0000${query.customer_id}`)
    if (buckets === undefined) return emptyRollup()
    const acc = new RollupAccumulator()
    for (const [bucket, state] of buckets) {
      if (bucket >= query.fromBucket && bucket < query.toBucket) acc.add(state)
    }
    return acc.result()
  }

  async readEdgeEvents(query: EdgeQuery): Promise<StoredEvent[]> {
    const log = this.#byCustomer.get(query.customer_id)
    if (log === undefined) return []
    return log.range(query.from, query.to).filter((e) => e.event_name === query.event_name)
  }

  async listEvents(query: EventQuery): Promise<StoredEvent[]> {
    return this.#byCustomer.get(query.customer_id)?.page(query) ?? []
  }

  async insertCustomer(customer: Customer): Promise<boolean> {
    return this.#docs.insertCustomer(customer)
  }
  async getCustomer(id: string): Promise<Customer | null> {
    return this.#docs.getCustomer(id)
  }
  async saveCustomer(customer: Customer): Promise<void> {
    this.#docs.saveCustomer(customer)
  }
  async listCustomers(query: KeyPageQuery): Promise<Customer[]> {
    return this.#docs.listCustomers(query)
  }
  async insertPlanVersion(plan: Plan): Promise<boolean> {
    return this.#docs.insertPlanVersion(plan)
  }
  async getPlanVersions(code: string): Promise<Plan[]> {
    return this.#docs.getPlanVersions(code)
  }
  async listPlans(query: KeyPageQuery): Promise<Plan[]> {
    return this.#docs.listPlans(query)
  }
  async insertSubscription(subscription: SubscriptionRecord): Promise<void> {
    this.#docs.insertSubscription(subscription)
  }
  async getSubscription(id: string): Promise<SubscriptionRecord | null> {
    return this.#docs.getSubscription(id)
  }
  async listSubscriptions(query: KeyPageQuery & { customer_id?: string }): Promise<SubscriptionRecord[]> {
    return this.#docs.listSubscriptions(query)
  }
  async updateSubscription(subscription: SubscriptionRecord): Promise<boolean> {
    return this.#docs.updateSubscription(subscription)
  }
  async listDueSubscriptions(query: KeyPageQuery & { due_by: number }): Promise<SubscriptionRecord[]> {
    return this.#docs.listDueSubscriptions(query)
  }
  async createInvoicesOnce(
    items: readonly InvoiceCreation[],
    numbering: InvoiceNumbering,
  ): Promise<InvoiceCreated[]> {
    return this.#docs.createInvoicesOnce(items, numbering)
  }
  async getInvoice(id: string): Promise<Invoice | null> {
    return this.#docs.getInvoice(id)
  }
  async listInvoices(query: InvoiceQuery): Promise<Invoice[]> {
    return this.#docs.listInvoices(query)
  }
  async updateDraftInvoice(invoice: Invoice): Promise<boolean> {
    return this.#docs.updateDraftInvoice(invoice)
  }
  async closePeriods(closes: readonly PeriodClose[]): Promise<void> {
    this.#docs.closePeriods(closes)
  }
  async finalizeInvoice(invoice: Invoice, numbering: InvoiceNumbering): Promise<Invoice | null> {
    return this.#docs.finalizeInvoice(invoice, numbering)
  }
  async updateInvoiceStatus(
    id: string,
    from: readonly InvoiceStatus[],
    patch: InvoiceStatusPatch,
  ): Promise<Invoice | null> {
    return this.#docs.updateInvoiceStatus(id, from, patch)
  }

  async insertPaymentMethod(method: PaymentMethodRecord): Promise<void> {
    this.#payments.insertPaymentMethod(method)
  }
  async getPaymentMethod(id: string): Promise<PaymentMethodRecord | null> {
    return this.#payments.getPaymentMethod(id)
  }
  async listPaymentMethods(customer_id: string): Promise<PaymentMethodRecord[]> {
    return this.#payments.listPaymentMethods(customer_id)
  }
  async savePaymentMethod(method: PaymentMethodRecord): Promise<void> {
    this.#payments.savePaymentMethod(method)
  }
  async createPayment(payment: Payment): Promise<{ created: boolean; payment: Payment }> {
    return this.#payments.createPayment(payment)
  }
  async getPayment(id: string): Promise<Payment | null> {
    return this.#payments.getPayment(id)
  }
  async getPaymentByReference(reference: string): Promise<Payment | null> {
    return this.#payments.getPaymentByReference(reference)
  }
  async listPayments(query: PaymentQuery): Promise<Payment[]> {
    return this.#payments.listPayments(query)
  }
  async updatePayment(payment: Payment): Promise<boolean> {
    return this.#payments.updatePayment(payment)
  }

  #store(event: PreparedEvent): StoredEvent {
    const stored: StoredEvent = {
      idempotency_key: event.idempotency_key,
      customer_id: event.customer_id,
      event_name: event.event_name,
      timestamp: event.timestamp,
      properties: event.properties,
      received_at: event.received_at,
      seq: ++this.#seq,
    }
    this.#events.set(event.idempotency_key, { hash: event.payload_hash, event: stored })
    let log = this.#byCustomer.get(event.customer_id)
    if (log === undefined) {
      log = new CustomerEventLog()
      this.#byCustomer.set(event.customer_id, log)
    }
    log.insert(stored)
    return stored
  }

  #apply(deltas: readonly RollupDelta[]): void {
    for (const delta of aggregateDeltas(deltas)) {
      const key = `${delta.meter}\u0000${delta.customer_id}`
      let buckets = this.#rollups.get(key)
      if (buckets === undefined) {
        buckets = new Map()
        this.#rollups.set(key, buckets)
      }
      const current = buckets.get(delta.bucket)
      buckets.set(
        delta.bucket,
        current === undefined ? delta : new RollupAccumulator().add(current).add(delta).result(),
      )
    }
  }
}

/**
 * A storage in this process's memory: fast, and gone when the process ends. For tests, demos and
 * trying kobometer out.
 *
 * @example
 * import { createBilling } from 'kobometer'
 * import { memoryStorage } from 'kobometer/memory'
 * const billing = await createBilling({ storage: memoryStorage() })
 */
export function memoryStorage(): Storage {
  return new MemoryStorage()
}
