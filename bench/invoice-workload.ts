// The invoicing workload shared by the SQLite and PostgreSQL invoice benches: N customers on one
// monthly plan with three charges, subscribed from 1 January 2027. Every measured round is one
// month: its usage (`EVENTS_PER_CUSTOMER` events per customer) is ingested untimed, then the run at
// 02:00 on the next month's first day drafts and finalizes N invoices at once. Rounds are months so
// that each one invoices the same amount of fresh usage, as a host's monthly run does.

import { type Billing, createBilling, type EventInput, type PlanInput, type Storage } from '../src/index.js'
import { compare, type Result, type Target } from './harness.js'
import { fromRounds } from './measure.js'
import { roundsFor } from './settings.js'

/**
 * First instant of month `m` of 2027 in UTC (0 is January; 12 is January 2028).
 * @example monthStart(1) === Date.UTC(2027, 1, 1)
 */
export function monthStart(m: number): number {
  return Date.UTC(2027, m, 1)
}

/**
 * When month `m` is invoiced: 02:00 on the next month's first day, past the one-hour grace, so the
 * run both creates and finalizes.
 * @example runAt(0) === Date.UTC(2027, 1, 1, 2)
 */
export function runAt(m: number): number {
  return monthStart(m + 1) + 2 * 3_600_000
}

/**
 * Monthly runs measured per invoicing figure: `--rounds` first, else 3 (each round ingests a
 * month of usage first, so rounds are costly).
 */
export function invoiceRounds(): number {
  return roundsFor(3)
}

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
 * Defines the meters and the three-charge plan, subscribes `customers` customers from 1 January and
 * issues their opening invoices.
 *
 * @example
 * await openInvoicing(billing, (ms) => { now = ms }, 1000)
 */
export async function openInvoicing(
  billing: Billing,
  setNow: (ms: number) => void,
  customers: number,
): Promise<void> {
  setNow(monthStart(0))
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
}

/**
 * Ingests month `month`'s usage, `EVENTS_PER_CUSTOMER` events per customer spread evenly over the
 * month, in batches of 1,000 at the month's end (within the period's grace), handing each batch to
 * `onBatch` for the raw baseline.
 *
 * @example
 * await seedMonth(billing, (ms) => { now = ms }, 1000, 0, (rows) => raw.add(rows))
 */
export async function seedMonth(
  billing: Billing,
  setNow: (ms: number) => void,
  customers: number,
  month: number,
  onBatch: (rows: RawEvent[]) => void | Promise<void>,
): Promise<void> {
  const from = monthStart(month)
  setNow(monthStart(month + 1))
  const total = customers * EVENTS_PER_CUSTOMER
  const step = Math.floor((monthStart(month + 1) - from) / total)
  for (let i = 0; i < total; i += 1000) {
    const events: EventInput[] = []
    const rows: RawEvent[] = []
    for (let j = i; j < Math.min(i + 1000, total); j++) {
      const row = { customer_id: `cus_${j % customers}`, timestamp: from + j * step, tokens: (j % 997) + 1 }
      rows.push(row)
      events.push({
        event_name: 'api_call',
        customer_id: row.customer_id,
        idempotency_key: `m${month}_e${j}`,
        timestamp: row.timestamp,
        properties: { tokens: row.tokens },
      })
    }
    await billing.events.ingest({ events })
    await onBatch(rows)
  }
}

/**
 * Seconds the measured `invoices.run` of month `month` takes; it must finalize one invoice per
 * subscription.
 */
export async function timeInvoiceRun(
  billing: Billing,
  setNow: (ms: number) => void,
  customers: number,
  month: number,
): Promise<number> {
  setNow(runAt(month))
  let finalized = 0
  const took = await seconds(async () => {
    finalized = (await billing.invoices.run()).finalized.length
  })
  if (finalized !== customers) throw new Error(`expected ${customers} invoices, finalized ${finalized}`)
  return took
}

/** Events per customer in every invoicing bench: one month's usage. */
export const EVENTS_PER_CUSTOMER = 100

/** One invoicing measurement: kobometer's run and the raw driver's, in seconds, one per round. */
export interface InvoiceRunTimes {
  kobometer: number[]
  raw: number[]
}

/** The raw driver's twin of a kobometer store: its event table and its invoice run. */
export interface RawInvoicer {
  /** Adds a batch of events. */
  add: (rows: RawEvent[]) => void | Promise<void>
  /** The invoice run of month `month` for `customers` customers. */
  run: (customers: number, month: number) => void | Promise<void>
  /** Untimed, after each month's usage is in (e.g. PostgreSQL's `VACUUM ANALYZE`). */
  afterSeed?: () => Promise<void>
}

/**
 * A billing instance on `storage` whose injected clock the bench moves, starting on 1 January.
 * @example const { billing, setNow } = await invoicingBilling(sqliteStorage({ filename }))
 */
export async function invoicingBilling(
  storage: Storage,
): Promise<{ billing: Billing; setNow: (ms: number) => void }> {
  let now = monthStart(0)
  const billing = await createBilling({ storage, clock: () => now })
  return {
    billing,
    setNow: (ms) => {
      now = ms
    },
  }
}

/**
 * Opens `customers` subscriptions on `storage` (closed at the end), then per round ingests a
 * month's usage on both sides (untimed) and times kobometer's run of that month, then the raw
 * driver's.
 *
 * @example
 * const times = await timeInvoiceRounds(sqliteStorage({ filename }), raw, 1000, invoiceRounds(), console.error)
 */
export async function timeInvoiceRounds(
  storage: Storage,
  raw: RawInvoicer,
  customers: number,
  rounds: number,
  log: (message: string) => void,
): Promise<InvoiceRunTimes> {
  const { billing, setNow } = await invoicingBilling(storage)
  try {
    await openInvoicing(billing, setNow, customers)
    const times: InvoiceRunTimes = { kobometer: [], raw: [] }
    for (let month = 0; month < rounds; month++) {
      log(
        `invoices: ${customers.toLocaleString()} subscriptions, round ${month + 1}/${rounds}: seeding ${(customers * EVENTS_PER_CUSTOMER).toLocaleString()} events`,
      )
      await seedMonth(billing, setNow, customers, month, raw.add)
      await settle(billing, month)
      await raw.afterSeed?.()
      times.kobometer.push(await timeInvoiceRun(billing, setNow, customers, month))
      times.raw.push(await seconds(() => raw.run(customers, month)))
    }
    return times
  } finally {
    await billing.close()
  }
}

/**
 * Lets the store catch up on the month's appends before the run, as a host's idle time does over a
 * month: on SQLite, back-to-back seeding never yields to the idle merger, so up to a bound of
 * events wait to be merged into the customer index and rollups, and the run's first read would
 * merge them (a cost of ingest, not of invoicing, and one that varied with where the seed stopped).
 * A usage read merges that tail; elsewhere it is one indexed read.
 */
async function settle(billing: Billing, month: number): Promise<void> {
  await billing.usage.get({
    customer_id: 'cus_0',
    meter: 'calls',
    from: monthStart(month),
    to: monthStart(month + 1),
  })
}

/**
 * Measures 1,000 and 10,000 subscriptions (100 and 1,000 with `--quick`) and reports both against
 * the raw driver (at least `minRatio` of its speed, when given), and how the time scales with ten
 * times the subscriptions (target ≤ 12×; per round, the larger run's time over the smaller's).
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
      fromRounds(
        b.kobometer.map((t, r) => t / (a.kobometer[r] ?? Number.NaN)),
        '×',
      ),
      undefined,
      { max: 12 },
    ),
  ]
}

/**
 * One `invoices.run` row: the median of kobometer's rounds against the raw driver's, with an
 * optional target.
 *
 * @example
 * invoiceRunRow('sqlite', 100_000, { kobometer: [30], raw: [10] }, { max: 45 })
 */
export function invoiceRunRow(
  dialect: string,
  customers: number,
  m: InvoiceRunTimes,
  target?: Target,
): Result {
  return compare(
    `${dialect} invoices.run, ${customers.toLocaleString()} subscriptions`,
    fromRounds(m.kobometer, 's'),
    fromRounds(m.raw, 's'),
    target !== undefined && Object.keys(target).length > 0 ? target : undefined,
  )
}

/** Seconds a function takes, once. */
export async function seconds(fn: () => unknown): Promise<number> {
  const start = performance.now()
  await fn()
  return (performance.now() - start) / 1000
}
