import { expect } from 'vitest'
import type { Customer } from '../../core/customers/types.js'
import type { PreparedEvent } from '../../core/events/types.js'
import type { Invoice } from '../../core/invoices/types.js'
import type { Meter } from '../../core/meters/types.js'
import type { Payment, PaymentMethodRecord } from '../../core/payments/types.js'
import type { Plan } from '../../core/plans/types.js'
import type { InvoiceNumbering } from '../../core/ports/index.js'
import type { SubscriptionRecord } from '../../core/subscriptions/types.js'

/** The instant the port suites' documents are dated. */
export const NOW = '2026-01-01T00:00:00.000Z'
/** A day after {@link NOW}. */
export const LATER = '2026-01-02T00:00:00.000Z'
/** {@link NOW} in epoch ms. */
export const T0 = Date.parse(NOW)
export const HOUR = 3_600_000

/** What `events.append` answers for an accepted event whose name no meter reads. */
export const ACCEPTED_UNMETERED = {
  status: 'accepted',
  warnings: [{ code: 'NO_METER_MATCHED', message: expect.any(String) }],
}

/**
 * A customer with every field set.
 *
 * @example
 * await storage.customers.insert(customer(`${ns}c_1`, 'Ada'))
 */
export const customer = (id: string, name: string | null = null): Customer => ({
  id,
  email: null,
  name,
  timezone: 'UTC',
  address: null,
  tax_id: null,
  metadata: {},
  created_at: NOW,
  updated_at: NOW,
})

/**
 * A monthly ₦10 plan version.
 *
 * @example
 * await storage.plans.insert(plan(`${ns}pro`, 2))
 */
export const plan = (code: string, version: number): Plan => ({
  code,
  version,
  name: `${code} v${version}`,
  description: null,
  currency: 'NGN',
  interval: 'month',
  interval_count: 1,
  trial_days: 0,
  fixed_amount: '1000',
  minimum_amount: null,
  tax_rates: [],
  charges: [],
  limits: [],
  metadata: {},
  created_at: NOW,
})

/**
 * An active monthly subscription at revision 0.
 *
 * @example
 * await storage.subscriptions.insert(subscription(`${ns}s_1`, `${ns}c_1`, T0 + HOUR))
 */
export const subscription = (
  id: string,
  customer_id: string,
  next_invoice_at: number | null,
): SubscriptionRecord => ({
  id,
  customer_id,
  currency: 'NGN',
  timezone: 'UTC',
  start_at: T0,
  trial_end: null,
  phases: [{ start: T0, plan_code: 'basic', plan_version: 1, interval: 'month', interval_count: 1 }],
  end_at: null,
  canceled_at: null,
  cancel_at_period_end: false,
  status: 'active',
  next_invoice_at,
  revision: 0,
  created_at: T0,
  metadata: {},
})

/**
 * A prepared event named `<ns>call` (or `name`) whose payload hash is `h_<key>` unless given.
 *
 * @example
 * await storage.events.append([event(ns, `${ns}k1`, `${ns}c`, T0)], compileMeterEffects)
 */
export const event = (
  ns: string,
  key: string,
  customer_id: string,
  timestamp: number,
  extra: Partial<PreparedEvent> = {},
): PreparedEvent => ({
  idempotency_key: key,
  customer_id,
  event_name: `${ns}call`,
  timestamp,
  properties: {},
  properties_json: '{}',
  payload_hash: `h_${key}`,
  received_at: timestamp,
  ...extra,
})

/**
 * A meter of the events {@link event} makes for `ns`: a count, or a sum of `property`.
 *
 * @example
 * await storage.meters.insert(meter(ns, `${ns}calls`), compileMeterEffects)
 */
export const meter = (ns: string, code: string, property?: string): Meter => ({
  code,
  name: null,
  event_name: `${ns}call`,
  aggregation: property === undefined ? 'count' : 'sum',
  property: property ?? null,
  filters: null,
  created_at: NOW,
})

/**
 * A gapless sequence of its own for one test, numbering `<ns>INV-<n>`.
 *
 * @example
 * const seq = numbering(ns)
 * seq.format(1) // `${ns}INV-1`
 */
export const numbering = (ns: string, name = 'INV'): InvoiceNumbering => ({
  sequence: `${ns}${name}`,
  format: (n) => `${ns}${name}-${n}`,
})

/**
 * A draft invoice of ₦10 (every field set, nothing computed).
 *
 * @example
 * await storage.invoices.create([{ invoice: draft(`${ns}in_1`, `${ns}s_1`), final: false }], numbering(ns))
 */
export const draft = (
  id: string,
  subscription_id: string,
  period_end = '2026-02-01T00:00:00.000Z',
  customer_id = 'c_1',
): Invoice => ({
  id,
  number: null,
  customer_id,
  subscription_id,
  plan_code: 'basic',
  plan_version: 1,
  currency: 'NGN',
  status: 'draft',
  billing_reason: 'subscription_cycle',
  period_start: NOW,
  period_end,
  lines: [{ type: 'fixed', description: 'Basic', amount: 1000, precise_amount: '1000' }],
  subtotal: 1000,
  tax: 0,
  total: 1000,
  amount_due: 1000,
  created_at: NOW,
  updated_at: NOW,
  finalized_at: null,
  due_at: null,
  voided_at: null,
  amount_paid: 0,
  paid_at: null,
  attempt_count: 0,
  next_payment_attempt: null,
  timezone: 'UTC',
  customer_name: null,
  customer_email: null,
})

/**
 * A card authorization of a customer.
 *
 * @example
 * await storage.paymentMethods.insert(method(`${ns}pm_1`, `${ns}c_1`))
 */
export const method = (id: string, customer_id: string): PaymentMethodRecord => ({
  id,
  customer_id,
  gateway: 'paystack',
  email: `${customer_id}@example.com`,
  card: { last4: '4081', brand: 'visa', exp_month: '12', exp_year: '2030' },
  created_at: NOW,
  metadata: { source: 'checkout' },
  authorization: `AUTH_${id}`,
  detached_at: null,
})

/**
 * A ₦10 card payment attempt in flight, at revision 0.
 *
 * @example
 * const { created } = await storage.payments.create(payment(`${ns}py_1`, `${ns}ref_1`))
 */
export const payment = (
  id: string,
  reference: string,
  invoice_id = 'in_1',
  customer_id = 'c_1',
): Payment => ({
  id,
  invoice_id,
  customer_id,
  payment_method_id: 'pm_1',
  gateway: 'paystack',
  reference,
  attempt: 1,
  status: 'processing',
  amount: 1000,
  currency: 'NGN',
  gateway_id: null,
  failure_message: null,
  amount_refunded: 0,
  refunds: [],
  created_at: NOW,
  updated_at: NOW,
  lease_until: 1_767_225_600_000,
  revision: 0,
})
