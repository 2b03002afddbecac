import type { BillingContext } from '../context.js'
import type { Customer } from '../customers/types.js'
import type { ComputedInvoice } from '../invoices/compute-invoice.js'
import { draftInvoice, finalInvoice } from '../invoices/invoice-record.js'
import { formatQuantity } from '../invoices/render-parts.js'
import { withTax } from '../invoices/totals.js'
import type { Invoice } from '../invoices/types.js'
import { Decimal } from '../money/decimal.js'
import { roundMinor } from '../money/rounding.js'
import type { Plan, PlanCharge } from '../plans/types.js'
import { priceCharge } from '../pricing/price-charge.js'
import type { SubscriptionRecord } from '../subscriptions/types.js'
import { isoTime as iso } from '../time/iso-time.js'

/** What one top-up buys, and where. */
export interface TopUpOrder {
  sub: SubscriptionRecord
  plan: Plan
  /** The plan's `prepaid_block` charge of the meter. */
  charge: Extract<PlanCharge, { model: 'prepaid_block' }>
  meter: string
  blocks: number
  /** The period the blocks are for (epoch ms): the one they were bought in. */
  period: { start: number; end: number }
}

/**
 * The content of a top-up invoice: one line of `blocks` × the block's price (exact, rounded once)
 * and the plan's tax rates, computed as every other invoice's totals are.
 *
 * @example
 * const computed = topUpContent(ctx, order) // { billing_reason: 'top_up', lines: [block line, VAT], total, ... }
 */
export function topUpContent(ctx: BillingContext, order: TopUpOrder): ComputedInvoice {
  const { charge, blocks, plan, period } = order
  const block = priceCharge(charge, 0, { rounding: ctx.rounding })
  const precise = new Decimal(block.precise_amount).times(blocks)
  const size = String(charge.block_size)
  const totals = withTax(
    [
      {
        type: 'fixed',
        description: `${charge.name ?? charge.meter} top-up (${blocks} × block of ${formatQuantity(size)})`,
        meter: order.meter,
        quantity: new Decimal(size).times(blocks).toFixed(),
        amount: roundMinor(precise, ctx.rounding),
        precise_amount: precise.toFixed(),
        period_start: iso(period.start),
        period_end: iso(period.end),
      },
    ],
    plan.tax_rates,
    ctx.rounding,
  )
  return {
    billing_reason: 'top_up',
    period_start: period.start,
    period_end: period.end,
    plan_code: plan.code,
    plan_version: plan.version,
    ...totals,
    amount_due: totals.total,
  }
}

/**
 * A top-up invoice, final (`open`) as of `now`: its number is assigned by the storage when it is
 * stored. `top_up` names what paying it adds to the period's allowance.
 *
 * @example
 * const invoice = topUpInvoice(ctx, 'in_…', order, customer, Date.now())
 */
export function topUpInvoice(
  ctx: BillingContext,
  id: string,
  order: TopUpOrder,
  customer: Customer,
  now: number,
): Invoice {
  const computed = topUpContent(ctx, order)
  const draft = draftInvoice(id, order.sub, computed, customer, now)
  return {
    ...finalInvoice(draft, computed, ctx.invoicing, now),
    top_up: {
      meter: order.meter,
      blocks: order.blocks,
      quantity: new Decimal(String(order.charge.block_size)).times(order.blocks).toFixed(),
    },
  }
}
