import type { BillingContext } from '../context.js'
import { Decimal, ZERO } from '../money/decimal.js'
import { roundMinor } from '../money/rounding.js'
import { planVersionAt } from '../plans/plans-service.js'
import type { Plan } from '../plans/types.js'
import { priceCharge } from '../pricing/price-charge.js'
import { type Boundary, boundaryAt, type SubscriptionPeriod } from '../subscriptions/schedule.js'
import type { SubscriptionRecord } from '../subscriptions/types.js'
import { isoTime as iso } from '../time/iso-time.js'
import { chargeLine, windowReader } from './charge-line.js'
import { formatQuantity } from './render-parts.js'
import type { InvoiceSources } from './sources.js'
import { withTax } from './totals.js'
import type { BillingReason, InvoiceContent, InvoiceLine } from './types.js'

/** What one boundary's invoice holds, before it is stored. */
export interface ComputedInvoice extends InvoiceContent {
  billing_reason: BillingReason
  period_start: number
  period_end: number
}

/**
 * The plan version a subscription period bills under.
 *
 * @example
 * const plan = await planFor(sources, boundaryAt(sub, at).usage!)
 */
export async function planFor(sources: InvoiceSources, period: SubscriptionPeriod): Promise<Plan> {
  const versions = await sources.planVersions(period.phase.plan_code)
  return planVersionAt(versions, period.phase.plan_version, period.start)
}

// Fees billed in advance for the period starting at the boundary: the fixed fee and prepaid blocks.
function advanceLines(plan: Plan, period: SubscriptionPeriod, ctx: BillingContext): InvoiceLine[] {
  const lines: InvoiceLine[] = []
  const service = { period_start: iso(period.start), period_end: iso(period.end) }
  if (plan.fixed_amount !== null && !new Decimal(plan.fixed_amount).isZero()) {
    lines.push({
      type: 'fixed',
      description: `${plan.name} (fixed fee)`,
      amount: roundMinor(new Decimal(plan.fixed_amount), ctx.rounding),
      precise_amount: new Decimal(plan.fixed_amount).toFixed(),
      ...service,
    })
  }
  for (const charge of plan.charges) {
    if (charge.model !== 'prepaid_block') continue
    const block = priceCharge(charge, 0, { rounding: ctx.rounding })
    lines.push({
      type: 'fixed',
      description: `${charge.name ?? charge.meter} (prepaid block of ${formatQuantity(String(charge.block_size))})`,
      meter: charge.meter,
      amount: block.amount,
      precise_amount: block.precise_amount,
      ...service,
    })
  }
  return lines
}

function reasonOf(sub: SubscriptionRecord, boundary: Boundary): BillingReason {
  if (boundary.usage === null) return 'subscription_create'
  return sub.end_at !== null && boundary.at >= sub.end_at ? 'subscription_cancel' : 'subscription_cycle'
}

/**
 * Prices the invoice of a subscription at one boundary: the usage of the period ending there (one
 * line per charge, a minimum true-up), the fees billed in advance for the period starting there,
 * and tax once per rate on the subtotal. `usageUntil` cuts the usage window short (a preview).
 *
 * @example
 * const content = await computeInvoice(ctx, sources, sub, Date.parse('2026-02-01'))
 */
export async function computeInvoice(
  ctx: BillingContext,
  sources: InvoiceSources,
  sub: SubscriptionRecord,
  at: number,
  usageUntil: number = at,
): Promise<ComputedInvoice> {
  const boundary = boundaryAt(sub, at)
  const usagePlan = boundary.usage ? await planFor(sources, boundary.usage) : null
  const advancePlan = boundary.advance ? await planFor(sources, boundary.advance) : null
  const lines: InvoiceLine[] = []

  if (boundary.usage !== null && usagePlan !== null) {
    const window = { customer_id: sub.customer_id, from: boundary.usage.start, to: Math.min(usageUntil, at) }
    const read = windowReader(ctx, window, sources)
    let usageTotal = ZERO
    for (const charge of usagePlan.charges) {
      const line = await chargeLine(ctx, sources, charge, window, read)
      usageTotal = usageTotal.plus(line.amount)
      lines.push(line)
    }
    const immediateCancel = sub.end_at === at && !sub.cancel_at_period_end
    if (usagePlan.minimum_amount !== null && !immediateCancel) {
      const shortfall = new Decimal(usagePlan.minimum_amount).minus(usageTotal)
      if (shortfall.greaterThan(0)) {
        lines.push({
          type: 'minimum',
          description: `Minimum commitment true-up (${usagePlan.name})`,
          amount: roundMinor(shortfall, ctx.rounding),
          precise_amount: shortfall.toFixed(),
          period_start: iso(boundary.usage.start),
          period_end: iso(at),
        })
      }
    }
  }
  if (boundary.advance !== null && advancePlan !== null)
    lines.push(...advanceLines(advancePlan, boundary.advance, ctx))

  const plan = (usagePlan ?? advancePlan)!
  const totals = withTax(lines, plan.tax_rates, ctx.rounding)
  return {
    billing_reason: reasonOf(sub, boundary),
    period_start: boundary.usage?.start ?? at,
    period_end: at,
    plan_code: plan.code,
    plan_version: plan.version,
    lines: totals.lines,
    subtotal: totals.subtotal,
    tax: totals.tax,
    total: totals.total,
    amount_due: totals.total,
  }
}
