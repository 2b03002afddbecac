import type { Customer } from '../../core/customers/types.js'
import type { PreparedEvent, StoredEvent } from '../../core/events/types.js'
import type { Invoice } from '../../core/invoices/types.js'
import { compileMeterEffects } from '../../core/meters/meter-effects.js'
import type { Meter } from '../../core/meters/types.js'
import type { Payment, PaymentMethodRecord } from '../../core/payments/types.js'
import type { Plan } from '../../core/plans/types.js'
import type {
  AllowanceOpening,
  AllowanceRecord,
  AppendOutcome,
  DeliveryClaim,
  EventQuery,
  InvoiceCreated,
  InvoiceCreation,
  InvoiceNumbering,
  NotificationRecord,
  PaymentCreated,
  PeriodClose,
  Storage,
} from '../../core/ports/index.js'
import type { SubscriptionRecord } from '../../core/subscriptions/types.js'

/**
 * One port call a child process makes, as JSON. What cannot cross a process boundary is rebuilt in
 * the child: `effects` is always `compileMeterEffects`, and a numbering is named by its sequence.
 */
export type StorageCall =
  | { method: 'migrate' }
  | { method: 'sleep'; ms: number }
  | { method: 'events.append'; events: PreparedEvent[] }
  | { method: 'events.appendUntilClosed'; event: PreparedEvent; max: number }
  | { method: 'events.closePeriods'; closes: PeriodClose[] }
  | { method: 'events.list'; query: EventQuery }
  | { method: 'meters.insert'; meter: Meter }
  | { method: 'entitlements.open'; openings: AllowanceOpening[]; now: number }
  | { method: 'customers.insert'; customer: Customer }
  | { method: 'plans.insert'; plan: Plan }
  | { method: 'subscriptions.insert'; subscription: SubscriptionRecord }
  | { method: 'subscriptions.update'; subscription: SubscriptionRecord }
  | { method: 'paymentMethods.insert'; record: PaymentMethodRecord }
  | { method: 'invoices.create'; items: InvoiceCreation[]; sequence: string }
  | { method: 'invoices.finalize'; invoice: Invoice; sequence: string }
  | { method: 'payments.create'; payment: Payment }
  | { method: 'payments.update'; payment: Payment }
  | { method: 'notifications.add'; records: NotificationRecord[] }
  | { method: 'notifications.claim'; destination: string; now: number; leaseMs: number; limit: number }

/** What each call answers, by method. */
export interface CallResults {
  migrate: null
  sleep: null
  'events.append': AppendOutcome[]
  'events.appendUntilClosed': AppendOutcome[]
  'events.closePeriods': null
  'events.list': StoredEvent[]
  'meters.insert': boolean
  'entitlements.open': AllowanceRecord[]
  'customers.insert': boolean
  'plans.insert': boolean
  'subscriptions.insert': boolean
  'subscriptions.update': boolean
  'paymentMethods.insert': boolean
  'invoices.create': InvoiceCreated[]
  'invoices.finalize': Invoice | null
  'payments.create': PaymentCreated
  'payments.update': boolean
  'notifications.add': boolean[]
  'notifications.claim': DeliveryClaim[]
}

/** The answer of one call. */
export type CallResult<C extends StorageCall> = CallResults[C['method']]

/**
 * The numbering every process uses for a sequence: `<sequence>-<n>`.
 *
 * @example
 * numberingOf('INV').format(7) // 'INV-7'
 */
export const numberingOf = (sequence: string): InvoiceNumbering => ({
  sequence,
  format: (n) => `${sequence}-${n}`,
})

/**
 * Makes one call on a storage.
 *
 * @example
 * await callStorage(storage, { method: 'customers.insert', customer })
 */
export async function callStorage(
  storage: Storage,
  call: StorageCall,
): Promise<CallResults[StorageCall['method']]> {
  switch (call.method) {
    case 'migrate':
      return storage.migrate().then(() => null)
    case 'sleep':
      return new Promise((resolve) => setTimeout(() => resolve(null), call.ms))
    case 'events.append':
      return storage.events.append(call.events, compileMeterEffects)
    case 'events.appendUntilClosed':
      return appendUntilClosed(storage, call.event, call.max)
    case 'events.closePeriods':
      return storage.events.closePeriods(call.closes).then(() => null)
    case 'events.list':
      return storage.events.list(call.query)
    case 'meters.insert':
      return storage.meters.insert(call.meter, compileMeterEffects)
    case 'entitlements.open':
      return storage.entitlements.open(call.openings, compileMeterEffects, call.now)
    case 'customers.insert':
      return storage.customers.insert(call.customer)
    case 'plans.insert':
      return storage.plans.insert(call.plan)
    case 'subscriptions.insert':
      return storage.subscriptions.insert(call.subscription)
    case 'subscriptions.update':
      return storage.subscriptions.update(call.subscription)
    case 'paymentMethods.insert':
      return storage.paymentMethods.insert(call.record)
    case 'invoices.create':
      return storage.invoices.create(call.items, numberingOf(call.sequence))
    case 'invoices.finalize':
      return storage.invoices.finalize(call.invoice, numberingOf(call.sequence))
    case 'payments.create':
      return storage.payments.create(call.payment)
    case 'payments.update':
      return storage.payments.update(call.payment)
    case 'notifications.add':
      return storage.notifications.add(call.records)
    case 'notifications.claim':
      return storage.notifications.claim(call.destination, call.now, call.leaseMs, call.limit)
  }
}

/** How many appends follow the first `closed` answer, to see that the period stays closed. */
const AFTER_CLOSED = 3

/**
 * Appends copies of `event` one call at a time (keys `<key>0`, `<key>1`, …, each a millisecond
 * later) until the customer's period is closed and a few appends after that, or `max` appends. The
 * answers, one per append, in order.
 */
async function appendUntilClosed(
  storage: Storage,
  event: PreparedEvent,
  max: number,
): Promise<AppendOutcome[]> {
  const outcomes: AppendOutcome[] = []
  let left = max
  for (let i = 0; i < left; i++) {
    const copy = { ...event, idempotency_key: `${event.idempotency_key}${i}`, timestamp: event.timestamp + i }
    const [outcome] = await storage.events.append([copy], compileMeterEffects)
    outcomes.push(outcome!)
    if (outcome?.status === 'closed' && left === max) left = Math.min(max, i + 1 + AFTER_CLOSED)
  }
  return outcomes
}
