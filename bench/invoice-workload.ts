// The invoicing workload shared by the SQLite and PostgreSQL invoice benches: N customers on one
// monthly plan with three charges, January's usage as `eventsPerCustomer` events each, and the
// invoice run at 1 February 02:00 that drafts and finalizes N invoices at once.

import type { Billing, EventInput, PlanInput } from '../src/index.js'
import { compare, type Result, type Target } from './harness.js'

export const JAN = Date.UTC(2027, 0, 1)
export const FEB = Date.UTC(2027, 1, 1)
/** When the measured run happens: past the one-hour grace, so it creates and finalizes. */
export const RUN_AT = FEB + 2 * 3_600_000

/** The benches' plan: ₦5,000 a month and three charges over the `calls` and `tokens` meters, VAT. */
export function benchPlan(code: string): PlanInput {
  return {
    code,
    name: 'Bench',
    currency: 'NGN',
    interval: 'month',
    fixed_amount: '500000',
    tax_rates: [{ name: 'VAT', percent: '7.5' }],
    charges: [
      { meter: 'calls', model: 'per_unit', unit_amount: '50' },
      { meter: 'tokens', model: 'package', package_size: 1000, package_amount: '200' },
      {
        meter: 'calls',
        name: 'tiered calls',
        model: 'graduated',
        tiers: [
          { up_to: 10, unit_amount: '0' },
          { up_to: 50, unit_amount: '40' },
          { up_to: null, unit_amount: '20' },
        ],
      },
    ],
  }
}

/** One event as the raw baseline stores it. */
export interface RawEvent {
  customer_id: string
  timestamp: number
  tokens: number
}

/**
 * Defines the meters and the three-charge plan, subscribes `customers` customers from 1 January,
 * issues their opening invoices, then ingests January's events in batches of 1,000, handing each
 * batch to `onBatch` for the raw baseline.
 */
export async function seedInvoicing(
  billing: Billing,
  setNow: (ms: number) => void,
  customers: number,
  eventsPerCustomer: number,
  onBatch: (rows: RawEvent[]) => void | Promise<void>,
): Promise<void> {
  setNow(JAN)
  await billing.meters.create({ code: 'calls', event_name: 'api_call', aggregation: 'count' })
  await billing.meters.create({
    code: 'tokens',
    event_name: 'api_call',
    aggregation: 'sum',
    property: 'tokens',
  })
  await billing.plans.create(benchPlan('bench'))
  for (let c = 0; c < customers; c++) {
    await billing.customers.create({ id: `cus_${c}` })
    await billing.subscriptions.create({ customer_id: `cus_${c}`, plan_code: 'bench' })
  }
  await billing.invoices.run()
  setNow(FEB)
  const total = customers * eventsPerCustomer
  const step = Math.floor((FEB - JAN) / total)
  for (let i = 0; i < total; i += 1000) {
    const events: EventInput[] = []
    const rows: RawEvent[] = []
    for (let j = i; j < Math.min(i + 1000, total); j++) {
      const row = { customer_id: `cus_${j % customers}`, timestamp: JAN + j * step, tokens: (j % 997) + 1 }
      rows.push(row)
      events.push({
        event_name: 'api_call',
        customer_id: row.customer_id,
        idempotency_key: `e${j}`,
        timestamp: row.timestamp,
        properties: { tokens: row.tokens },
      })
    }
    await billing.events.ingest({ events })
    await onBatch(rows)
  }
}

/** Seconds the measured `invoices.run` takes; it must finalize one invoice per subscription. */
export async function timeInvoiceRun(
  billing: Billing,
  setNow: (ms: number) => void,
  customers: number,
): Promise<number> {
  setNow(RUN_AT)
  let finalized = 0
  const took = await seconds(async () => {
    finalized = (await billing.invoices.run()).finalized.length
  })
  if (finalized !== customers) throw new Error(`expected ${customers} invoices, finalized ${finalized}`)
  return took
}

/** Events per customer in every invoicing bench: January's usage. */
export const EVENTS_PER_CUSTOMER = 100

/** One invoicing measurement: kobometer's run and the raw driver's, in seconds. */
export interface InvoiceRunTimes {
  kobometer: number
  raw: number
}

/**
 * Measures 1,000 and 10,000 subscriptions (100 and 1,000 with `--quick`) and reports both against
 * the raw driver (at least `minRatio` of its speed, when given), and how the time scales with ten
 * times the subscriptions (target ≤ 12×).
 */
export async function invoiceRunRows(
  dialect: string,
  quick: boolean,
  measure: (customers: number) => Promise<InvoiceRunTimes>,
  largeMax?: number,
  minRatio?: number,
): Promise<Result[]> {
  const small = quick ? 100 : 1000
  const large = small * 10
  const a = await measure(small)
  const b = await measure(large)
  const row = (n: number, m: InvoiceRunTimes, max?: number) =>
    invoiceRunRow(dialect, n, m, { ...(max === undefined ? {} : { max }), ...(minRatio ? { minRatio } : {}) })
  return [
    row(small, a),
    row(large, b, largeMax),
    compare(
      `${dialect} invoices.run, time ×10 subscriptions`,
      { value: b.kobometer / a.kobometer, unit: '×' },
      undefined,
      {
        max: 12,
      },
    ),
  ]
}

/**
 * One `invoices.run` row: kobometer's seconds against the raw driver's, with an optional target.
 *
 * @example
 * invoiceRunRow('sqlite', 100_000, { kobometer: 30, raw: 10 }, { max: 45 })
 */
export function invoiceRunRow(
  dialect: string,
  customers: number,
  m: InvoiceRunTimes,
  target?: Target,
): Result {
  return compare(
    `${dialect} invoices.run, ${customers.toLocaleString()} subscriptions`,
    { value: m.kobometer, unit: 's' },
    { value: m.raw, unit: 's' },
    target !== undefined && Object.keys(target).length > 0 ? target : undefined,
  )
}

/** Seconds a function takes, once. */
export async function seconds(fn: () => unknown): Promise<number> {
  const start = performance.now()
  await fn()
  return (performance.now() - start) / 1000
}
