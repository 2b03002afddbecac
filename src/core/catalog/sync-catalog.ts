import type { BillingContext } from '../context.js'
import { compileMeterEffects } from '../meters/meter-effects.js'
import { assertMeterRoom } from '../meters/meter-room.js'
import { buildVersion } from '../plans/plans-service.js'
import type { Plan } from '../plans/types.js'
import { isoTime } from '../time/iso-time.js'
import { atPath } from './at-path.js'
import { planContent } from './canonical.js'
import {
  assertSameMeter,
  assertSamePlanTerms,
  type CheckedMeter,
  type CheckedPlan,
  checkCatalog,
} from './check-catalog.js'
import type { CatalogInput, CatalogSyncResult, MeterSyncResult, PlanSyncResult } from './types.js'

async function syncMeter(
  ctx: BillingContext,
  { path, meter, stored }: CheckedMeter,
): Promise<MeterSyncResult> {
  if (stored !== null) return { code: meter.code, action: 'unchanged' }
  if (await ctx.storage.meters.insert(meter, compileMeterEffects))
    return { code: meter.code, action: 'created' }
  // Another process created it first: the same definition is nothing to do, another is refused.
  const winner = await ctx.storage.meters.get(meter.code)
  if (winner !== null) assertSameMeter(winner, meter, path)
  return { code: meter.code, action: 'unchanged' }
}

async function syncPlan(ctx: BillingContext, checked: CheckedPlan): Promise<PlanSyncResult> {
  const { path, draft } = checked
  const wanted = planContent(draft)
  let latest: Plan | null = checked.latest
  // (code, version) is unique: of processes storing the same change one wins, and the others find
  // it on re-reading. A different change stored meanwhile is built upon, like plans.update does.
  for (;;) {
    if (latest !== null && planContent(latest) === wanted) {
      return { code: draft.code, action: 'unchanged', version: latest.version }
    }
    const version = (latest?.version ?? 0) + 1
    const plan = await atPath(path, () => buildVersion(ctx, draft, version))
    if (await ctx.storage.plans.insert(plan)) {
      return { code: draft.code, action: latest === null ? 'created' : 'versioned', version }
    }
    latest = (await ctx.storage.plans.getVersions(draft.code)).at(-1) ?? null
    if (latest !== null) assertSamePlanTerms(latest, draft, path)
  }
}

/**
 * `billing.catalog.sync`: makes the stored meters and plans match their definitions in code, safe
 * to run on every boot of every process. Creates what is missing, versions a plan whose content
 * changed, leaves the rest alone, and refuses (`CATALOG_FIELD_IMMUTABLE`) a change to what cannot
 * change. The whole catalog is checked before anything is written.
 *
 * @example
 * const result = await syncCatalog(ctx, { meters: [apiCalls], plans: [starter] })
 * // { meters: [{ code: 'api_calls', action: 'unchanged' }], plans: [{ code: 'starter', action: 'versioned', version: 2 }] }
 */
export async function syncCatalog(ctx: BillingContext, input: CatalogInput): Promise<CatalogSyncResult> {
  const { meters, plans } = await checkCatalog(ctx, input, isoTime(ctx.now()))
  await assertMeterRoom(
    ctx,
    meters.filter((m) => m.stored === null).map((m) => m.meter),
  )
  const result: CatalogSyncResult = { meters: [], plans: [] }
  for (const meter of meters) result.meters.push(await syncMeter(ctx, meter))
  for (const plan of plans) result.plans.push(await syncPlan(ctx, plan))
  return result
}
