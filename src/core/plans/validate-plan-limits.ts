import type { BillingContext } from '../context.js'
import type { PlanLimit } from '../entitlements/types.js'
import { ErrorCode, ValidationError } from '../errors.js'
import type { Meter } from '../meters/types.js'
import { Decimal } from '../money/decimal.js'
import { chargeMeterCode } from './charge-meters.js'
import type { Plan, PlanCharge } from './types.js'

/** A stored limit: its quantity as an exact decimal string. */
export type StoredLimit = Plan['limits'][number]

/**
 * A plan's limits in stored form; versions stored before limits existed have none.
 *
 * @example
 * limitsOf(plan) // [{ meter: 'tokens', quantity: '5000000', on_exceed: 'reject' }]
 */
export function limitsOf(plan: Pick<Plan, 'limits'>): StoredLimit[] {
  return plan.limits ?? []
}

/**
 * A validated limit in stored form.
 *
 * @example
 * normalizeLimit({ meter: 'tokens', quantity: 5_000_000, on_exceed: 'reject' }).quantity // '5000000'
 */
export function normalizeLimit(limit: PlanLimit): StoredLimit {
  return { meter: limit.meter, quantity: new Decimal(limit.quantity).toFixed(), on_exceed: limit.on_exceed }
}

// A limit counts a period's total, which only `count` and `sum` meters add up event by event.
const ADDITIVE = new Set(['count', 'sum'])

/**
 * Checks a plan's limits and its `pause` blocks: each names an existing `count` or `sum` meter, at
 * most one limit per meter, and a meter is not limited by both a limit and a `pause` block.
 * `findMeter` looks up meters the charges do not name (default: the storage), so a catalog can check
 * limits against meters it is about to create.
 *
 * @example
 * await validatePlanLimits(ctx, draft.limits, charges, meters)
 */
export async function validatePlanLimits(
  ctx: BillingContext,
  limits: readonly StoredLimit[],
  charges: readonly PlanCharge[],
  meters: ReadonlyMap<string, Meter>,
  findMeter: (code: string) => Promise<Meter | null> = (code) => ctx.storage.meters.get(code),
): Promise<void> {
  const seen = new Set<string>()
  for (const [index, limit] of limits.entries()) {
    const path = `limits[${index}].meter`
    const meter = meters.get(limit.meter) ?? (await findMeter(limit.meter))
    if (meter === null) {
      throw new ValidationError(ErrorCode.UNKNOWN_METER, `${path}: meter ${limit.meter} does not exist`, {
        path,
        id: limit.meter,
      })
    }
    if (!ADDITIVE.has(meter.aggregation)) {
      throw new ValidationError(
        ErrorCode.INVALID_LIMIT,
        `${path}: a limit caps a period's total, so its meter must be a count or sum meter (${meter.code} is ${meter.aggregation})`,
        { path },
      )
    }
    if (seen.has(limit.meter)) {
      throw new ValidationError(ErrorCode.INVALID_LIMIT, `${path}: meter ${limit.meter} has two limits`, {
        path,
      })
    }
    seen.add(limit.meter)
  }
  for (const [index, charge] of charges.entries()) {
    if (charge.model !== 'prepaid_block' || depletionOf(charge) !== 'pause') continue
    const path = `charges[${index}]`
    const meter = meters.get(charge.meter)
    if (meter !== undefined && !ADDITIVE.has(meter.aggregation)) {
      throw new ValidationError(
        ErrorCode.INVALID_LIMIT,
        `${path}: a block that pauses when used up counts a period's total, so its meter must be a count or sum meter`,
        { path: `${path}.on_depletion` },
      )
    }
    if (seen.has(chargeMeterCode(charge))) {
      throw new ValidationError(
        ErrorCode.INVALID_LIMIT,
        `${path}: meter ${charge.meter} is limited twice (a limit and a block that pauses)`,
        { path: `${path}.on_depletion` },
      )
    }
    seen.add(chargeMeterCode(charge))
  }
}

/**
 * What a `prepaid_block` charge does when its block is used up: its `on_depletion`, else `overage`
 * when it prices overage and `pause` when it does not.
 *
 * @example
 * depletionOf({ model: 'prepaid_block', block_size: 10, block_amount: '100' }) // 'pause'
 */
export function depletionOf(charge: PlanCharge): 'pause' | 'overage' {
  if (charge.model !== 'prepaid_block') return 'overage'
  return charge.on_depletion ?? (charge.overage_unit_amount === undefined ? 'pause' : 'overage')
}
