import { allowanceFill } from '../../core/entitlements/allowance-fill.js'
import type { Invoice } from '../../core/invoices/types.js'
import { quantityOf } from '../../core/meters/rollup.js'
import type { RollupState } from '../../core/meters/types.js'
import { Decimal } from '../../core/money/decimal.js'
import type {
  AllowanceRecord,
  CustomerUsage,
  InvoiceTotal,
  InvoiceTotalsQuery,
  NearLimitQuery,
  TopCustomersQuery,
  UsagePoint,
  UsageSeriesQuery,
} from '../../core/ports/index.js'
import type { MemoryUsage } from './memory-usage.js'

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Every customer's rollup buckets of one meter. */
function* bucketsOf(usage: MemoryUsage, meter: string): Generator<[string, Map<number, RollupState>]> {
  const prefix = `${meter}\u0000`
  for (const [key, buckets] of usage.rollups)
    if (key.startsWith(prefix)) yield [key.slice(prefix.length), buckets]
}

/**
 * The memory `meters.usageSeries`: each hour's quantity per customer, combined over customers the
 * way the SQL aggregates do (least/greatest for min/max, summed otherwise).
 *
 * @example
 * memoryUsageSeries(usage, { meter: 'calls', aggregation: 'count', from: 0, to: 86_400_000 })
 */
export function memoryUsageSeries(usage: MemoryUsage, query: UsageSeriesQuery): UsagePoint[] {
  const hours = new Map<number, Decimal | null>()
  for (const [customer, buckets] of bucketsOf(usage, query.meter)) {
    if (query.customer_id !== undefined && customer !== query.customer_id) continue
    for (const [bucket, state] of buckets) {
      if (bucket < query.from || bucket >= query.to) continue
      // Unique counts are read from the recorded values: an hour without any has no row there.
      if (query.aggregation === 'unique_count' && (state.values?.length ?? 0) === 0) continue
      const value = ownQuantity(query, state)
      const kept = hours.get(bucket) ?? null
      if (!hours.has(bucket) || kept === null) hours.set(bucket, value)
      else if (value === null) continue
      else if (query.aggregation === 'min') hours.set(bucket, Decimal.min(kept, value))
      else if (query.aggregation === 'max') hours.set(bucket, Decimal.max(kept, value))
      else hours.set(bucket, kept.plus(value))
    }
  }
  return [...hours]
    .sort(([a], [b]) => a - b)
    .map(([hour, quantity]) => ({ hour, quantity: quantity === null ? '0' : quantity.toFixed() }))
}

// One customer's quantity in one hour, or null where the SQL column is NULL (it then adds nothing).
function ownQuantity(query: UsageSeriesQuery, state: RollupState): Decimal | null {
  switch (query.aggregation) {
    case 'count':
      return new Decimal(state.count)
    case 'unique_count':
      return new Decimal(state.values?.length ?? 0)
    case 'latest':
      return state.latest === null ? null : new Decimal(state.latest.value)
    default: {
      const value = state[query.aggregation]
      return value === null ? null : new Decimal(value)
    }
  }
}

/**
 * The memory `meters.topCustomers`: each customer's summed quantity over the window, greatest first.
 *
 * @example
 * memoryTopCustomers(usage, { meter: 'calls', aggregation: 'count', from: 0, to: 86_400_000, limit: 10 })
 */
export function memoryTopCustomers(usage: MemoryUsage, query: TopCustomersQuery): CustomerUsage[] {
  const totals: Array<{ customer_id: string; total: Decimal }> = []
  for (const [customer_id, buckets] of bucketsOf(usage, query.meter)) {
    let total: Decimal | null = null
    for (const [bucket, state] of buckets) {
      if (bucket < query.from || bucket >= query.to) continue
      total = (total ?? new Decimal(0)).plus(quantityOf(query.aggregation, state))
    }
    if (total !== null) totals.push({ customer_id, total })
  }
  totals.sort((a, b) => b.total.comparedTo(a.total) || compareText(a.customer_id, b.customer_id))
  return totals
    .slice(0, query.limit)
    .map(({ customer_id, total }) => ({ customer_id, quantity: total.toFixed() }))
}

/**
 * The memory `entitlements.nearLimit`: allowances of the periods containing `at` by fill.
 *
 * @example
 * memoryNearLimit(allowances.all(), { at: Date.now(), ratio: 0.8, limit: 20 })
 */
export function memoryNearLimit(all: readonly AllowanceRecord[], query: NearLimitQuery): AllowanceRecord[] {
  const rows = all
    .filter((a) => a.period_start <= query.at && query.at < a.period_end)
    .map((a) => ({ a, fill: allowanceFill(a) }))
    .filter((r): r is { a: AllowanceRecord; fill: number } => r.fill !== null && r.fill >= query.ratio)
  const order = (x: { fill: number; customer_id: string; meter: string }, y: typeof x): number =>
    y.fill - x.fill || compareText(x.customer_id, y.customer_id) || compareText(x.meter, y.meter)
  const after = query.after
  return rows
    .map(({ a, fill }) => ({ a, key: { fill, customer_id: a.customer_id, meter: a.meter } }))
    .filter(({ key }) => after === undefined || order(key, after) > 0)
    .sort((x, y) => order(x.key, y.key))
    .slice(0, query.limit)
    .map(({ a }) => structuredClone(a))
}

/**
 * The memory `invoices.totals`: finalized invoices of the window, counted and summed.
 *
 * @example
 * memoryInvoiceTotals(invoices.values(), { from: 0, to: Date.now() })
 */
export function memoryInvoiceTotals(invoices: Iterable<Invoice>, query: InvoiceTotalsQuery): InvoiceTotal[] {
  const groups = new Map<string, InvoiceTotal>()
  for (const invoice of invoices) {
    const { status, finalized_at } = invoice
    if (status !== 'open' && status !== 'paid' && status !== 'uncollectible') continue
    if (finalized_at === null) continue
    const at = Date.parse(finalized_at)
    if (at < query.from || at >= query.to) continue
    const key = `${invoice.currency}\u0000${status}`
    const group = groups.get(key) ?? { currency: invoice.currency, status, count: 0, total: 0 }
    group.count += 1
    group.total += invoice.total
    groups.set(key, group)
  }
  return [...groups.values()].sort(
    (a, b) => compareText(a.currency, b.currency) || compareText(a.status, b.status),
  )
}
