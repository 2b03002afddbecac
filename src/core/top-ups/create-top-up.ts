import { createHash } from 'node:crypto'
import type { BillingContext } from '../context.js'
import { getCustomer } from '../customers/customers-service.js'
import type { CustomerEntry } from '../entitlements/customer-entry.js'
import { BillingError, ConflictError, ErrorCode, ValidationError } from '../errors.js'
import { newId } from '../ids.js'
import { invoiceOutbox } from '../invoices/invoice-notifications.js'
import { invoiceNumbering } from '../invoices/invoice-record.js'
import type { Invoice } from '../invoices/types.js'
import { attemptsOf, collectInvoice } from '../payments/collect.js'
import { chargeMeterCode } from '../plans/charge-meters.js'
import { planVersionAt } from '../plans/plans-service.js'
import { subscriptionPeriodAt } from '../subscriptions/schedule.js'
import { type CreateTopUpInput, type ParsedTopUpInput, parseTopUpInput } from './top-up-input.js'
import { type TopUpOrder, topUpInvoice } from './top-up-invoice.js'

// What the customer's current period offers to top up: its subscription, period, plan and the
// pausing prepaid block of the meter, or the typed reason it offers none.
async function orderFor(ctx: BillingContext, entry: CustomerEntry, given: ParsedTopUpInput) {
  const sub = entry.subscription
  const about = { id: given.customer_id, resource: 'customer' }
  if (sub === null || entry.period === null)
    throw new ConflictError(`customer ${given.customer_id} has no subscription to top up`, about)
  if (entry.status === 'canceled')
    throw new ConflictError(`the subscription of customer ${given.customer_id} is canceled`, {
      ...about,
      status: entry.status,
    })
  const allowed = entry.allowed.get(given.meter)
  if (allowed === undefined || allowed.block_size === null || !allowed.enforce) {
    throw new ValidationError(
      ErrorCode.INVALID_LIMIT,
      `the plan of customer ${given.customer_id} has no prepaid block of ${given.meter} that pauses on depletion`,
      { path: 'meter' },
    )
  }
  const phase = subscriptionPeriodAt(sub, entry.period.start).phase
  const plan = planVersionAt(
    await ctx.storage.plans.getVersions(phase.plan_code),
    phase.plan_version,
    entry.period.start,
  )
  const charge = plan.charges.find((c) => c.model === 'prepaid_block' && chargeMeterCode(c) === given.meter)
  if (charge?.model !== 'prepaid_block')
    throw new BillingError(ErrorCode.INTERNAL_ERROR, `plan ${plan.code} lost its block of ${given.meter}`)
  const order: TopUpOrder = {
    sub,
    plan,
    charge,
    meter: given.meter,
    blocks: given.blocks,
    period: entry.period,
  }
  return order
}

// The invoice's natural key: a digest of the customer and the caller's key, so any key fits the
// storage's 100 characters and two customers' keys never meet.
const naturalKey = (customer_id: string, key: string): string =>
  createHash('sha256').update(`${customer_id}\u0000${key}`).digest('hex')

function sameTopUp(stored: Invoice, given: ParsedTopUpInput, key: string): Invoice {
  const same =
    stored.customer_id === given.customer_id &&
    stored.top_up?.meter === given.meter &&
    stored.top_up.blocks === given.blocks
  if (same) return stored
  throw new ConflictError(
    `idempotency_key ${key} already bought another top-up`,
    { id: stored.id, resource: 'invoice', path: 'idempotency_key' },
    ErrorCode.IDEMPOTENCY_CONFLICT,
  )
}

// Charges the default payment method once per top-up: a retried call whose invoice already has
// an attempt leaves it to that attempt (and to `tick`). No payment method leaves it open.
async function collect(ctx: BillingContext, invoice: Invoice, created: boolean, now: number) {
  if (invoice.status !== 'open') return
  if (!created && (await attemptsOf(ctx, invoice.id)).length > 0) return
  try {
    await collectInvoice(ctx, invoice, now)
  } catch (error) {
    if (!(error instanceof BillingError) || error.code !== ErrorCode.NO_PAYMENT_METHOD) throw error
  }
}

/**
 * `billing.topUps.create`: buys `blocks` more of a meter's prepaid block for the customer's current
 * period. It makes a one-off invoice (`billing_reason: 'top_up'`), final and numbered at once, and
 * charges the default payment method; without one the invoice stays open for `checkout.create` or
 * `payments.recordOffline`. When the invoice is paid, by whichever way, its blocks join the
 * period's allowance in the same transaction, and a customer paused by the used-up block is
 * allowed again. The blocks are the period's own and expire with it. A declined charge grants
 * nothing and is not retried; the subscription is never paused for it.
 *
 * `NotFoundError` for an unknown customer or meter; `ValidationError` `INVALID_LIMIT` (path
 * `meter`) when the plan has no pausing prepaid block of the meter; `ConflictError` without a
 * subscription or when it is canceled; `IDEMPOTENCY_CONFLICT` when the key bought another top-up.
 *
 * @example
 * const invoice = await createTopUp(ctx, { customer_id: 'cus_1', meter: 'api_calls', blocks: 2, idempotency_key: 'topup-42' })
 * invoice.status // 'paid' when the card was charged, else 'open'
 */
export async function createTopUp(ctx: BillingContext, input: CreateTopUpInput): Promise<Invoice> {
  const given = parseTopUpInput(input)
  const customer = await getCustomer(ctx, given.customer_id)
  await ctx.entitlements.meter(ctx, given.meter)
  const order = await orderFor(ctx, await ctx.entitlements.entry(ctx, given.customer_id), given)
  const now = ctx.now()
  const id = newId('in', now)
  const key = naturalKey(given.customer_id, given.idempotency_key ?? id)
  const made = topUpInvoice(ctx, id, order, customer, now)
  const numbering = invoiceNumbering(ctx.invoicing)
  const { created, invoice } = await ctx.storage.invoices.createOneOff(
    made,
    key,
    numbering,
    invoiceOutbox(ctx.now(), 'invoice.finalized'),
  )
  const stored = created ? invoice : sameTopUp(invoice, given, given.idempotency_key ?? id)
  if (created) {
    ctx.logger.info('top-up invoiced', {
      invoice_id: stored.id,
      customer_id: stored.customer_id,
      meter: given.meter,
      blocks: given.blocks,
      amount: stored.amount_due,
    })
  }
  await collect(ctx, stored, created, now)
  return (await ctx.storage.invoices.get(stored.id)) ?? stored
}
