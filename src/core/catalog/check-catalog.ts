import type { BillingContext } from '../context.js'
import { ErrorCode, ValidationError } from '../errors.js'
import { parseMeter } from '../meters/meters-service.js'
import type { Meter } from '../meters/types.js'
import { type PlanDraft, parsePlan } from '../plans/plans-service.js'
import type { Plan } from '../plans/types.js'
import { validatePlanCharges } from '../plans/validate-plan-charges.js'
import { validatePlanLimits } from '../plans/validate-plan-limits.js'
import { atPath } from './at-path.js'
import { FIXED_PLAN_FIELDS, METER_FIELDS, meterField, planContent } from './canonical.js'
import type { CatalogInput } from './types.js'

/** A catalog meter, checked: what it defines and what is stored under its code. */
export interface CheckedMeter {
  path: string
  meter: Meter
  stored: Meter | null
}

/** A catalog plan, checked: its draft and its latest stored version. */
export interface CheckedPlan {
  path: string
  draft: PlanDraft
  latest: Plan | null
}

/**
 * Refuses a stored meter that differs from its definition: a meter cannot change, since its rollups
 * were counted under it. Another meter code is another meter.
 *
 * @example
 * assertSameMeter(stored, wanted, 'meters[0]') // throws CATALOG_FIELD_IMMUTABLE at meters[0].aggregation
 */
export function assertSameMeter(stored: Meter, wanted: Meter, path: string): void {
  for (const field of METER_FIELDS) {
    if (meterField(stored, field) === meterField(wanted, field)) continue
    throw new ValidationError(
      ErrorCode.CATALOG_FIELD_IMMUTABLE,
      `${path}.${field}: meter ${stored.code} exists with ${field} ${meterField(stored, field)}, not ${meterField(wanted, field)}; a meter cannot change, define one with another code`,
      { path: `${path}.${field}`, id: stored.code, resource: 'meter' },
    )
  }
}

/**
 * Refuses a plan definition whose currency or period differs from the stored plan's: that is
 * another plan (create it under another code and move subscriptions with `changePlan`).
 *
 * @example
 * assertSamePlanTerms(latest, draft, 'plans[0]') // throws CATALOG_FIELD_IMMUTABLE at plans[0].currency
 */
export function assertSamePlanTerms(stored: Plan, wanted: PlanDraft, path: string): void {
  for (const field of FIXED_PLAN_FIELDS) {
    if (stored[field] === wanted[field]) continue
    throw new ValidationError(
      ErrorCode.CATALOG_FIELD_IMMUTABLE,
      `${path}.${field}: plan ${stored.code} bills with ${field} ${JSON.stringify(stored[field])}, not ${JSON.stringify(wanted[field])}; create another plan and move subscriptions with changePlan`,
      { path: `${path}.${field}`, id: stored.code, resource: 'plan' },
    )
  }
}

function listOf<K extends 'meters' | 'plans'>(input: CatalogInput, key: K): NonNullable<CatalogInput[K]> {
  const list = input[key]
  if (list === undefined) return []
  if (!Array.isArray(list)) {
    throw new ValidationError(ErrorCode.VALIDATION_ERROR, `${key} must be an array`, { path: key })
  }
  return list
}

function refuseDuplicate(seen: Set<string>, code: string, path: string): void {
  if (seen.has(code)) {
    throw new ValidationError(ErrorCode.VALIDATION_ERROR, `${path}.code: ${code} is defined twice`, {
      path: `${path}.code`,
      id: code,
    })
  }
  seen.add(code)
}

/**
 * Checks a whole catalog against the store before anything is written: every definition valid,
 * no code twice, nothing immutable changed, every plan charge naming a stored or catalog meter.
 *
 * @example
 * const { meters, plans } = await checkCatalog(ctx, catalog, isoTime(ctx.now()))
 */
export async function checkCatalog(
  ctx: BillingContext,
  input: CatalogInput,
  createdAt: string,
): Promise<{ meters: CheckedMeter[]; plans: CheckedPlan[] }> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError(ErrorCode.VALIDATION_ERROR, 'catalog must be an object of meters and plans', {
      path: '',
    })
  }
  const meterInputs = listOf(input, 'meters')
  const planInputs = listOf(input, 'plans')
  const defined = new Map<string, Meter>()
  const meterCodes = new Set<string>()
  const meters: CheckedMeter[] = []
  for (const [index, raw] of meterInputs.entries()) {
    const path = `meters[${index}]`
    const meter = await atPath(path, () => parseMeter(raw, createdAt))
    refuseDuplicate(meterCodes, meter.code, path)
    const stored = await ctx.storage.meters.get(meter.code)
    if (stored !== null) assertSameMeter(stored, meter, path)
    defined.set(meter.code, stored ?? meter)
    meters.push({ path, meter, stored })
  }
  const codes = new Set<string>()
  const plans: CheckedPlan[] = []
  for (const [index, raw] of planInputs.entries()) {
    const path = `plans[${index}]`
    const draft = await atPath(path, () => parsePlan(raw))
    refuseDuplicate(codes, draft.code, path)
    const latest = (await ctx.storage.plans.getVersions(draft.code)).at(-1) ?? null
    if (latest !== null) assertSamePlanTerms(latest, draft, path)
    // A plan that will not be written needs no meter lookups.
    if (latest === null || planContent(latest) !== planContent(draft)) {
      const findMeter = async (code: string) => defined.get(code) ?? ctx.storage.meters.get(code)
      await atPath(path, async () => {
        const { charges, meters } = await validatePlanCharges(ctx, draft.charges, draft.currency, findMeter)
        await validatePlanLimits(ctx, draft.limits, charges, meters, findMeter)
      })
    }
    plans.push({ path, draft, latest })
  }
  return { meters, plans }
}
