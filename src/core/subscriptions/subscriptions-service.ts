import type { BillingContext } from '../context.js'
import { getCustomer } from '../customers/customers-service.js'
import { hasAllowances } from '../entitlements/plan-allowances.js'
import {
  ConflictError,
  ErrorCode,
  NotFoundError,
  ValidationError,
  validationErrorFromZod,
} from '../errors.js'
import { newId } from '../ids.js'
import { type ListQuery, type Page, pageOf, parsePageQuery } from '../paging.js'
import { resolveStartAt, trialEnd } from '../periods/index.js'
import { getPlan } from '../plans/plans-service.js'
import type { Outbox } from '../ports/index.js'
import { isLookupKey } from '../text.js'
import type { TimeInput } from '../time/time-input.js'
import { firstBoundary, paidStart, subscriptionPeriodAt } from './schedule.js'
import { subscriptionOutbox } from './subscription-notifications.js'
import { cancelSchema, changePlanSchema, subscriptionInputSchema } from './subscription-schema.js'
import { subscriptionView } from './subscription-view.js'
import type { Subscription, SubscriptionInput, SubscriptionRecord } from './types.js'

/** What `billing.subscriptions.list` takes: a page, optionally of one customer's subscriptions. */
export interface ListSubscriptionsQuery extends ListQuery {
  customer_id?: string
}

/** How `billing.subscriptions.cancel` ends a subscription. */
export interface CancelSubscriptionOptions {
  /** Bill the current period as usual and end there (default false: end now). */
  at_period_end?: boolean
}

/** What `billing.subscriptions.changePlan` takes. */
export interface ChangePlanOptions {
  /** The plan to move to; it must bill in the subscription's currency. */
  plan_code: string
  /** When the change applies: the end of the current period (the only choice, and the default). */
  at?: 'period_end'
}

async function record(ctx: BillingContext, id: string): Promise<SubscriptionRecord> {
  const sub = isLookupKey(id) ? await ctx.storage.subscriptions.get(id) : null
  if (sub === null)
    throw new NotFoundError(`subscription ${id} does not exist`, { id, resource: 'subscription' })
  return sub
}

// Read, change, compare-and-set; a concurrent writer (another request, an invoice run) makes the
// write lose, and the change is re-applied to what it wrote.
// `report`, when given, names what the write reports, from the subscription it replaces.
async function mutate(
  ctx: BillingContext,
  id: string,
  change: (sub: SubscriptionRecord, now: number) => SubscriptionRecord | null,
  report?: (sub: SubscriptionRecord) => Outbox<SubscriptionRecord>,
): Promise<Subscription> {
  for (;;) {
    const sub = await record(ctx, id)
    const next = change(sub, ctx.now())
    if (next === null) return subscriptionView(ctx, sub)
    if (await ctx.storage.subscriptions.update({ ...next, revision: sub.revision + 1 }, report?.(sub))) {
      ctx.entitlements.forget(sub.customer_id)
      return subscriptionView(ctx, { ...next, revision: sub.revision + 1 })
    }
  }
}

function assertOpen(sub: SubscriptionRecord, now: number, what: string): void {
  if (sub.end_at !== null && (now >= sub.end_at || !sub.cancel_at_period_end)) {
    throw new ConflictError(`subscription ${sub.id} is canceled: it cannot ${what}`, {
      id: sub.id,
      resource: 'subscription',
      code: ErrorCode.INVALID_STATE,
    })
  }
}

/**
 * `billing.subscriptions.create`: subscribes a customer to the latest version of a plan. Periods
 * run from `start_at` (default now; a date-only string is midnight in the customer's timezone), or
 * from the trial end when the plan has `trial_days`.
 *
 * @example
 * await createSubscription(ctx, { customer_id: 'cus_123', plan_code: 'starter', start_at: '2026-01-31' })
 */
export async function createSubscription(
  ctx: BillingContext,
  input: SubscriptionInput,
): Promise<Subscription> {
  const parsed = subscriptionInputSchema.safeParse(input)
  if (!parsed.success) throw validationErrorFromZod(parsed.error, ErrorCode.VALIDATION_ERROR)
  const s = parsed.data
  const customer = await getCustomer(ctx, s.customer_id)
  const plan = await getPlan(ctx, s.plan_code)
  const now = ctx.now()
  const start = resolveStartAt(s.start_at as TimeInput | undefined, customer.timezone, now)
  const trial = trialEnd(start, s.trial_days ?? plan.trial_days, customer.timezone)
  const sub: SubscriptionRecord = {
    id: newId('sub', now),
    customer_id: customer.id,
    currency: plan.currency,
    timezone: customer.timezone,
    start_at: start,
    trial_end: trial,
    phases: [
      {
        start: trial ?? start,
        plan_code: plan.code,
        plan_version: plan.version,
        interval: plan.interval,
        interval_count: plan.interval_count,
      },
    ],
    end_at: null,
    canceled_at: null,
    cancel_at_period_end: false,
    status: 'active',
    next_invoice_at: null,
    revision: 0,
    created_at: now,
    metadata: s.metadata ?? {},
  }
  sub.next_invoice_at = firstBoundary(sub)
  await ctx.storage.subscriptions.insert(sub)
  ctx.entitlements.forget(customer.id)
  // Opens the first period's allowances now, so limits hold from the first event in every process.
  if (hasAllowances(plan)) await ctx.entitlements.entry(ctx, customer.id)
  return subscriptionView(ctx, sub)
}

/**
 * `billing.subscriptions.get`, or `NotFoundError`.
 *
 * @example
 * const sub = await getSubscription(ctx, 'sub_…')
 */
export async function getSubscription(ctx: BillingContext, id: string): Promise<Subscription> {
  return subscriptionView(ctx, await record(ctx, id))
}

/**
 * `billing.subscriptions.list`: in creation order, optionally one customer's.
 *
 * @example
 * const { data } = await listSubscriptions(ctx, { customer_id: 'cus_123' })
 */
export async function listSubscriptions(
  ctx: BillingContext,
  query: ListSubscriptionsQuery = {},
): Promise<Page<Subscription>> {
  const { limit, after } = parsePageQuery(query)
  const rows = await ctx.storage.subscriptions.list({
    limit: limit + 1,
    ...(after ? { after } : {}),
    ...(query.customer_id !== undefined ? { customer_id: query.customer_id } : {}),
  })
  const page = pageOf(rows, limit, (s) => s.id)
  return { ...page, data: await Promise.all(page.data.map((s) => subscriptionView(ctx, s))) }
}

/**
 * `billing.subscriptions.cancel`: now (usage up to this instant is billed on a last invoice, with
 * no fee for a next period), or `{ at_period_end: true }` (the current period is billed as usual,
 * and nothing after it).
 *
 * @example
 * await cancelSubscription(ctx, sub.id, { at_period_end: true })
 */
export async function cancelSubscription(
  ctx: BillingContext,
  id: string,
  options: CancelSubscriptionOptions = {},
): Promise<Subscription> {
  const parsed = cancelSchema.safeParse(options)
  if (!parsed.success) throw validationErrorFromZod(parsed.error, ErrorCode.VALIDATION_ERROR)
  const atPeriodEnd = parsed.data.at_period_end ?? false
  const canceled = await mutate(
    ctx,
    id,
    (sub, now) => {
      assertOpen(sub, now, 'be canceled again')
      if (atPeriodEnd && sub.cancel_at_period_end) return null
      const t = Math.max(now, sub.start_at)
      const end = atPeriodEnd ? subscriptionPeriodAt(sub, t).end : t
      let next = sub.next_invoice_at
      if (next !== null && end < next) next = end
      if (end <= paidStart(sub)) next = null
      return {
        ...sub,
        end_at: end,
        canceled_at: now,
        cancel_at_period_end: atPeriodEnd,
        next_invoice_at: next,
      }
    },
    (sub) => subscriptionOutbox(ctx.now(), 'subscription.canceled', sub.status),
  )
  // Canceled now: the period's enforced limits refuse usage from this instant on.
  if (canceled.ended_at !== null && Date.parse(canceled.ended_at) <= ctx.now()) {
    await ctx.storage.entitlements.block(canceled.customer_id, Date.parse(canceled.ended_at), 'canceled')
  }
  return canceled
}

/**
 * `billing.subscriptions.changePlan`: moves the subscription to another plan (same currency) from
 * the end of the current period; its periods then follow the new plan's interval.
 *
 * @example
 * await changePlan(ctx, sub.id, { plan_code: 'growth', at: 'period_end' })
 */
export async function changePlan(
  ctx: BillingContext,
  id: string,
  options: ChangePlanOptions,
): Promise<Subscription> {
  const parsed = changePlanSchema.safeParse(options)
  if (!parsed.success) throw validationErrorFromZod(parsed.error, ErrorCode.VALIDATION_ERROR)
  const plan = await getPlan(ctx, parsed.data.plan_code)
  return mutate(ctx, id, (sub, now) => {
    assertOpen(sub, now, 'change plan')
    if (sub.end_at !== null) {
      throw new ConflictError(`subscription ${sub.id} ends at its period end: it cannot change plan`, {
        id: sub.id,
        resource: 'subscription',
        code: ErrorCode.INVALID_STATE,
      })
    }
    if (plan.currency !== sub.currency) {
      throw new ValidationError(
        ErrorCode.CURRENCY_MISMATCH,
        `plan ${plan.code} bills in ${plan.currency} but the subscription in ${sub.currency}`,
        { path: 'plan_code' },
      )
    }
    const effective = subscriptionPeriodAt(sub, Math.max(now, sub.start_at)).end
    const phase = {
      start: effective,
      plan_code: plan.code,
      plan_version: plan.version,
      interval: plan.interval,
      interval_count: plan.interval_count,
    }
    return { ...sub, phases: [...sub.phases.filter((p) => p.start < effective), phase] }
  })
}
