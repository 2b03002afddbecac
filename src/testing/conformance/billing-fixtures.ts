import type { Billing } from '../../core/billing.js'
import type { Invoice, InvoiceRunResult } from '../../core/invoices/types.js'
import type { PlanInput } from '../../core/plans/types.js'
import type { Subscription } from '../../core/subscriptions/types.js'
import type { ConformanceContext } from './context.js'

/** Milliseconds in an hour and a day. */
export const HOUR = 3_600_000
export const DAY = 24 * HOUR

/** What a billing scenario sets up: one count meter `calls` and a sum meter `tokens`, namespaced. */
export interface BillingFixture {
  ns: string
  billing: Billing
  /** The namespaced meter codes. */
  calls: string
  tokens: string
  /** The namespaced event name both meters read. */
  event: string
  /** Creates a plan with a namespaced code; charges name meters by their namespaced codes. */
  plan(code: string, input: Omit<PlanInput, 'code'>): Promise<string>
  /** A monthly NGN plan named `code` charging ₦0.50 a call, with `extra` fields on top. */
  perCallPlan(code: string, extra?: Partial<Omit<PlanInput, 'code'>>): Promise<string>
  customer(id: string, timezone?: string): Promise<string>
  /** A new customer `id` subscribed to `plan` from the date `start`; the clock moves there. */
  subscribe(id: string, plan: string, start: string): Promise<{ customer: string; sub: Subscription }>
  /** Ingests `count` events at `timestamp` (the clock must allow it), each with `tokens`. */
  use(customer_id: string, timestamp: number, count?: number, tokens?: number): Promise<void>
  /** Runs invoicing at `now` (moving the clock there). */
  run(now: number): Promise<InvoiceRunResult>
  /** Every invoice of a subscription, oldest first. */
  invoicesOf(subscription_id: string): Promise<Invoice[]>
}

/**
 * Meters, plans and customers for a billing scenario, all namespaced to the test.
 *
 * @example
 * const f = await billingFixture(t, 'year')
 */
export async function billingFixture(t: ConformanceContext, label: string): Promise<BillingFixture> {
  const ns = t.unique(label)
  const billing = t.billing()
  const event = `${ns}call`
  const calls = `${ns}calls`
  const tokens = `${ns}tokens`
  await billing.meters.create({ code: calls, name: 'API calls', event_name: event, aggregation: 'count' })
  await billing.meters.create({
    code: tokens,
    name: 'Tokens',
    event_name: event,
    aggregation: 'sum',
    property: 'tokens',
  })
  let seq = 0
  const fixture: BillingFixture = {
    ns,
    billing,
    calls,
    tokens,
    event,
    async plan(code, input) {
      await billing.plans.create({ ...input, code: `${ns}${code}` })
      return `${ns}${code}`
    },
    perCallPlan(code, extra = {}) {
      return fixture.plan(code, {
        name: code,
        currency: 'NGN',
        interval: 'month',
        charges: [{ meter: calls, model: 'per_unit', unit_amount: '50' }],
        ...extra,
      })
    },
    async subscribe(id, plan, start) {
      const customer = await fixture.customer(id)
      t.setNow(Date.parse(`${start}T00:00:00Z`))
      const sub = await billing.subscriptions.create({
        customer_id: customer,
        plan_code: plan,
        start_at: start,
      })
      return { customer, sub }
    },
    async customer(id, timezone) {
      await billing.customers.create({
        id: `${ns}${id}`,
        name: `Customer ${id}`,
        email: `${id}@example.ng`,
        ...(timezone ? { timezone } : {}),
      })
      return `${ns}${id}`
    },
    async use(customer_id, timestamp, count = 1, tokensEach = 0) {
      t.setNow(Math.max(timestamp, 0))
      const events = Array.from({ length: count }, () => ({
        event_name: event,
        customer_id,
        idempotency_key: `${ns}e${++seq}`,
        timestamp,
        properties: { tokens: tokensEach },
      }))
      for (let i = 0; i < events.length; i += 1000) {
        const r = await billing.events.ingest({ events: events.slice(i, i + 1000) })
        if (r.accepted !== Math.min(1000, events.length - i))
          throw new Error(
            `ingest refused events: ${JSON.stringify(r.results.find((x) => x.status !== 'accepted'))}`,
          )
      }
    },
    async run(now) {
      t.setNow(now)
      return billing.invoices.run()
    },
    async invoicesOf(subscription_id) {
      const out: Invoice[] = []
      let cursor: string | undefined
      do {
        const page = await billing.invoices.list({
          subscription_id,
          limit: 100,
          ...(cursor ? { cursor } : {}),
        })
        out.push(...page.data)
        cursor = page.next_cursor ?? undefined
      } while (cursor)
      return out.sort((a, b) => Date.parse(a.period_end) - Date.parse(b.period_end))
    },
  }
  return fixture
}

/** A line of an invoice by type (and meter), or a failed expectation. */
export function lineOf(invoice: Invoice, type: Invoice['lines'][number]['type'], meter?: string) {
  return invoice.lines.filter((l) => l.type === type && (meter === undefined || l.meter === meter))
}
