import type { BillingContext } from '../context.js'
import type { StoredEvent } from '../events/types.js'
import { compileMeterEffects } from '../meters/meter-effects.js'
import { quantityOf } from '../meters/rollup.js'
import type { Meter, RollupState } from '../meters/types.js'
import { readWindow } from '../meters/usage.js'
import { Decimal, ZERO } from '../money/decimal.js'
import { chargeMeterCode } from '../plans/charge-meters.js'
import type { PlanCharge } from '../plans/types.js'
import type { EdgeQuery } from '../ports/index.js'
import { finishPrice } from '../pricing/price-charge.js'
import { compilePercentageEvent } from '../pricing/price-percentage.js'
import { priceUsage } from '../pricing/price-prepaid-overage.js'
import type { PercentageCharge, PriceResult } from '../pricing/types.js'
import type { InvoiceSources } from './sources.js'
import type { InvoiceLine } from './types.js'

const HUNDRED = new Decimal(100)

/** A usage window of one customer. */
export interface UsageWindow {
  customer_id: string
  from: number
  to: number
}

/**
 * Reads a meter's state over the invoice's window: one read per meter however many charges use it,
 * and one read of the partial-hour edge events per event name however many meters count them.
 */
export type WindowReader = (meter: Meter) => Promise<RollupState>

/**
 * A {@link WindowReader} for one window that remembers each meter's read; whole buckets come from
 * `sources` (what a run read ahead for a page of invoices, else a read).
 *
 * @example
 * const read = windowReader(ctx, { customer_id: 'cus_1', from, to }, sources)
 */
export function windowReader(
  ctx: BillingContext,
  window: UsageWindow,
  sources: InvoiceSources,
): WindowReader {
  const states = new Map<string, Promise<RollupState>>()
  const edges = new Map<string, Promise<StoredEvent[]>>()
  const readEdges = (query: EdgeQuery) => {
    const key = `${query.event_name}\u0000${query.from}\u0000${query.to}`
    let events = edges.get(key)
    if (events === undefined) {
      events = ctx.storage.events.readEdges(query)
      edges.set(key, events)
    }
    return events
  }
  return (meter) => {
    let state = states.get(meter.code)
    if (state === undefined) {
      state = readWindow(ctx, meter, window.customer_id, window.from, window.to, readEdges, (query) =>
        sources.rollups(query),
      )
      states.set(meter.code, state)
    }
    return state
  }
}

// Percentage prices each event. Without per-event clamps the sum is linear —
// rate × Σvalue / 100 + fixed × count — and rollups answer it; with clamps each event is priced.
async function pricePercentage(
  ctx: BillingContext,
  charge: PercentageCharge & PlanCharge,
  sources: InvoiceSources,
  window: UsageWindow,
  read: WindowReader,
): Promise<{ quantity: string; price: PriceResult }> {
  const meter = await sources.meter(chargeMeterCode(charge))
  if (charge.min_amount === undefined && charge.max_amount_per_event === undefined) {
    const state = await read(meter)
    const sum = new Decimal(state.sum ?? 0)
    const fixed = new Decimal(charge.fixed_amount ?? 0)
    const precise = sum.times(new Decimal(charge.rate)).dividedBy(HUNDRED).plus(fixed.times(state.count))
    return { quantity: sum.toFixed(), price: finishPrice(charge, precise, ctx.rounding) }
  }
  const events = await ctx.storage.events.readEdges({
    customer_id: window.customer_id,
    event_name: meter.event_name,
    from: window.from,
    to: window.to,
  })
  const effects = compileMeterEffects([meter])
  const perEvent = compilePercentageEvent(charge)
  let sum = ZERO
  let precise = ZERO
  for (const event of events) {
    for (const delta of effects(event).deltas) {
      const value = new Decimal(delta.sum ?? 0)
      sum = sum.plus(value)
      precise = precise.plus(perEvent(value))
    }
  }
  return { quantity: sum.toFixed(), price: finishPrice(charge, precise, ctx.rounding) }
}

/**
 * The usage line of one charge over one window. A `prepaid_block` block is billed in advance on its
 * own line, so its usage line is the overage alone, priced and rounded on its own.
 *
 * @example
 * await chargeLine(ctx, sources, charge, window, windowReader(ctx, window, sources))
 * // { type: 'usage', description: 'API calls', meter: 'api_calls', quantity: '150000', amount: 4600000, ... }
 */
export async function chargeLine(
  ctx: BillingContext,
  sources: InvoiceSources,
  charge: PlanCharge,
  window: UsageWindow,
  read: WindowReader,
): Promise<InvoiceLine> {
  let quantity: string
  let price: PriceResult
  if (charge.model === 'percentage') {
    ;({ quantity, price } = await pricePercentage(ctx, charge, sources, window, read))
  } else {
    const meter = await sources.meter(chargeMeterCode(charge))
    const state = await read(meter)
    quantity = quantityOf(meter.aggregation, state)
    price = priceUsage(charge, quantity, { rounding: ctx.rounding })
  }
  const base = await sources.meter(charge.meter)
  const name = charge.name ?? base.name ?? base.code
  const line: InvoiceLine = {
    type: 'usage',
    description: charge.model === 'prepaid_block' ? `${name} (beyond the prepaid block)` : name,
    meter: charge.meter,
    quantity,
    amount: price.amount,
    precise_amount: price.precise_amount,
    period_start: new Date(window.from).toISOString(),
    period_end: new Date(window.to).toISOString(),
  }
  if (price.tiers !== undefined) line.tiers = price.tiers
  return line
}
