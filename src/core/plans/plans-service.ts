import { planContent } from '../catalog/canonical.js'
import type { BillingContext } from '../context.js'
import {
  ConflictError,
  ErrorCode,
  NotFoundError,
  ValidationError,
  validationErrorFromZod,
} from '../errors.js'
import { compileMeterEffects } from '../meters/meter-effects.js'
import { assertMeterRoom } from '../meters/meter-room.js'
import type { Meter } from '../meters/types.js'
import { getCurrency } from '../money/currencies.js'
import { type ListQuery, type Page, pageOf, parsePageQuery } from '../paging.js'
import { isLookupKey } from '../text.js'
import { isoTime } from '../time/iso-time.js'
import { chargeMeter, chargeMeterCode } from './charge-meters.js'
import { IMMUTABLE_PLAN_FIELDS, planInputSchema, planUpdateSchema } from './plan-schema.js'
import type { Plan, PlanInput, PlanUpdate } from './types.js'
import { validatePlanCharges } from './validate-plan-charges.js'
import { limitsOf, normalizeLimit, validatePlanLimits } from './validate-plan-limits.js'

const amountText = (value: string | number | undefined) => (value === undefined ? null : String(value))

/** A plan version before it is checked against the stored meters, numbered and dated. */
export type PlanDraft = Omit<Plan, 'version' | 'created_at' | 'charges'> & { charges: readonly unknown[] }

/**
 * Checks a draft's charges against the stored meters, creates the derived meters of its filtered
 * charges, and gives the version to store.
 *
 * @example
 * const plan = await buildVersion(ctx, parsePlan(input), 1)
 */
export async function buildVersion(ctx: BillingContext, base: PlanDraft, version: number): Promise<Plan> {
  const { charges, meters } = await validatePlanCharges(ctx, base.charges, base.currency)
  await validatePlanLimits(ctx, base.limits, charges, meters)
  const created_at = isoTime(ctx.now())
  const derived: Meter[] = []
  for (const charge of charges) {
    if (chargeMeterCode(charge) === charge.meter) continue
    const meter = meters.get(charge.meter)
    if (meter) derived.push(chargeMeter(meter, charge, created_at))
  }
  await assertMeterRoom(ctx, derived)
  // A derived meter already there (an earlier version, a concurrent caller) is the same meter.
  for (const meter of derived) await ctx.storage.meters.insert(meter, compileMeterEffects)
  return { ...base, charges, version, created_at }
}

/**
 * `billing.plans.create`: version 1 of a plan. Charges must name existing meters; a code already
 * taken → `ConflictError`.
 *
 * @example
 * await createPlan(ctx, { code: 'starter', name: 'Starter', currency: 'NGN', interval: 'month',
 *   fixed_amount: '500000', charges: [{ meter: 'api_calls', model: 'per_unit', unit_amount: '50' }] })
 */
export async function createPlan(ctx: BillingContext, input: PlanInput): Promise<Plan> {
  const plan = await buildVersion(ctx, parsePlan(input), 1)
  ctx.entitlements.plansChanged()
  if (!(await ctx.storage.plans.insert(plan))) {
    throw new ConflictError(`plan ${plan.code} already exists: use plans.update to version it`, {
      id: plan.code,
      resource: 'plan',
    })
  }
  return plan
}

/**
 * Validates a plan definition (all but its charges' meters) and fills its defaults:
 * `interval_count` 1, `trial_days` 0, no description, fixed or minimum amount, taxes or charges.
 *
 * @example
 * const draft = parsePlan({ code: 'starter', name: 'Starter', currency: 'NGN', interval: 'month' })
 */
export function parsePlan(input: PlanInput): PlanDraft {
  const parsed = planInputSchema.safeParse(input)
  if (!parsed.success) throw validationErrorFromZod(parsed.error, ErrorCode.VALIDATION_ERROR)
  const p = parsed.data
  getCurrency(p.currency, 'currency')
  return {
    code: p.code,
    name: p.name,
    description: p.description ?? null,
    currency: p.currency,
    interval: p.interval,
    interval_count: p.interval_count ?? 1,
    trial_days: p.trial_days ?? 0,
    fixed_amount: amountText(p.fixed_amount),
    minimum_amount: amountText(p.minimum_amount),
    tax_rates: (p.tax_rates ?? []).map((t) => ({ name: t.name, percent: String(t.percent) })),
    charges: p.charges ?? [],
    limits: (p.limits ?? []).map(normalizeLimit),
    metadata: p.metadata ?? {},
  }
}

/**
 * `billing.plans.update`: stores a new version with the given fields changed. Subscriptions move to
 * it at their next period start; invoices record the version they used. `currency`, `interval` and
 * `interval_count` cannot change (`PLAN_FIELD_IMMUTABLE`): create another plan and `changePlan`. An
 * update that changes nothing the plan bills returns the latest version as it is.
 *
 * @example
 * const v2 = await updatePlan(ctx, 'starter', { fixed_amount: '600000' }) // v2.version === 2
 */
export async function updatePlan(ctx: BillingContext, code: string, update: PlanUpdate): Promise<Plan> {
  for (const field of IMMUTABLE_PLAN_FIELDS) {
    if (typeof update === 'object' && update !== null && field in update) {
      throw new ValidationError(
        ErrorCode.PLAN_FIELD_IMMUTABLE,
        `${field} cannot change in a new version; create another plan and move subscriptions with changePlan`,
        { path: field },
      )
    }
  }
  const parsed = planUpdateSchema.safeParse(update)
  if (!parsed.success) throw validationErrorFromZod(parsed.error, ErrorCode.VALIDATION_ERROR)
  const u = parsed.data
  // Two concurrent updates: the version number is a unique key, the loser builds on the winner.
  for (;;) {
    const current = await getPlan(ctx, code)
    const { version: _v, created_at: _c, ...base } = current
    const next = await buildVersion(
      ctx,
      {
        ...base,
        ...(u.name !== undefined ? { name: u.name } : {}),
        ...(u.description !== undefined ? { description: u.description } : {}),
        ...(u.trial_days !== undefined ? { trial_days: u.trial_days } : {}),
        ...(u.fixed_amount !== undefined ? { fixed_amount: amountText(u.fixed_amount) } : {}),
        ...(u.minimum_amount !== undefined ? { minimum_amount: amountText(u.minimum_amount) } : {}),
        ...(u.tax_rates !== undefined
          ? { tax_rates: u.tax_rates.map((t) => ({ name: t.name, percent: String(t.percent) })) }
          : {}),
        ...(u.metadata !== undefined ? { metadata: u.metadata } : {}),
        charges: u.charges ?? current.charges,
        limits: u.limits === undefined ? limitsOf(current) : u.limits.map(normalizeLimit),
      },
      current.version + 1,
    )
    // The same content again (a redeploy re-applying its update) is not a new version.
    if (planContent(next) === planContent(current)) return current
    ctx.entitlements.plansChanged()
    if (await ctx.storage.plans.insert(next)) return next
  }
}

/**
 * `billing.plans.get`: the latest version of a plan, or the given one; `NotFoundError` otherwise.
 *
 * @example
 * const plan = await getPlan(ctx, 'starter')          // latest
 * const first = await getPlan(ctx, 'starter', 1)      // version 1
 */
export async function getPlan(ctx: BillingContext, code: string, version?: number): Promise<Plan> {
  const versions = isLookupKey(code) ? await ctx.storage.plans.getVersions(code) : []
  const plan =
    version === undefined ? versions[versions.length - 1] : versions.find((v) => v.version === version)
  if (plan === undefined) {
    const what = version === undefined ? `plan ${code}` : `plan ${code} version ${version}`
    throw new NotFoundError(`${what} does not exist`, { id: code, resource: 'plan' })
  }
  return plan
}

/**
 * `billing.plans.list`: the latest version of every plan, in code order.
 *
 * @example
 * const { data } = await listPlans(ctx)
 */
export async function listPlans(ctx: BillingContext, query: ListQuery = {}): Promise<Page<Plan>> {
  const { limit, after } = parsePageQuery(query)
  const rows = await ctx.storage.plans.list({ ...(after ? { after } : {}), limit: limit + 1 })
  return pageOf(rows, limit, (p) => p.code)
}

/**
 * The version a period starting at `start` bills with: the newest version created at or before
 * `start`, and never older than `minVersion` (the version a subscription started on).
 *
 * @example
 * planVersionAt(versions, 1, Date.parse('2026-03-01')) // the plan as it stood on 1 March
 */
export function planVersionAt(versions: readonly Plan[], minVersion: number, start: number): Plan {
  let chosen: Plan | undefined
  for (const v of versions) {
    if (v.version < minVersion) continue
    if (chosen === undefined || Date.parse(v.created_at) <= start) chosen = v
  }
  if (chosen === undefined)
    throw new NotFoundError(`plan version ${minVersion} does not exist`, { resource: 'plan' })
  return chosen
}
