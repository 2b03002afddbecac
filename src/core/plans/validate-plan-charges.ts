import type { BillingContext } from '../context.js'
import { ErrorCode, joinPath, ValidationError } from '../errors.js'
import type { Meter } from '../meters/types.js'
import { validateCharge } from '../pricing/validate-charge.js'
import type { PlanCharge } from './types.js'

/**
 * Checks a plan's charges: each a valid charge naming an existing meter, in the plan's currency,
 * and `percentage` only over a `sum` meter (its per-event values). Returns the charges without
 * their optional `currency` and the meters they name, by code. `findMeter` looks meters up (default:
 * the storage), so a catalog can check charges against meters it is about to create.
 *
 * @example
 * const { charges, meters } = await validatePlanCharges(ctx, input.charges ?? [], 'NGN')
 */
export async function validatePlanCharges(
  ctx: BillingContext,
  input: readonly unknown[],
  currency: string,
  findMeter: (code: string) => Promise<Meter | null> = (code) => ctx.storage.meters.get(code),
): Promise<{ charges: PlanCharge[]; meters: Map<string, Meter> }> {
  const meters = new Map<string, Meter>()
  const charges: PlanCharge[] = []
  for (const [index, raw] of input.entries()) {
    const path = `charges[${index}]`
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new ValidationError(ErrorCode.INVALID_CHARGE, `${path} must be an object`, { path })
    }
    const { currency: chargeCurrency, ...rest } = raw as Record<string, unknown>
    if (chargeCurrency !== undefined && chargeCurrency !== currency) {
      throw new ValidationError(
        ErrorCode.CURRENCY_MISMATCH,
        `${path}.currency is ${JSON.stringify(chargeCurrency)} but the plan is in ${currency}: a plan bills in one currency`,
        { path: joinPath(path, 'currency') },
      )
    }
    const charge = validateCharge(rest, path) as PlanCharge
    if (typeof charge.meter !== 'string') {
      throw new ValidationError(
        ErrorCode.INVALID_CHARGE,
        `${path}.meter is required: the meter this charge prices`,
        {
          path: joinPath(path, 'meter'),
        },
      )
    }
    let meter = meters.get(charge.meter)
    if (meter === undefined) {
      const found = await findMeter(charge.meter)
      if (found === null) {
        throw new ValidationError(
          ErrorCode.UNKNOWN_METER,
          `${path}.meter: meter ${charge.meter} does not exist`,
          {
            path: joinPath(path, 'meter'),
            id: charge.meter,
          },
        )
      }
      meter = found
      meters.set(meter.code, meter)
    }
    if (charge.model === 'percentage' && meter.aggregation !== 'sum') {
      throw new ValidationError(
        ErrorCode.INVALID_CHARGE,
        `${path}.meter: a percentage charge prices each event's value, so its meter must be a sum meter (${meter.code} is ${meter.aggregation})`,
        { path: joinPath(path, 'meter') },
      )
    }
    charges.push(charge)
  }
  return { charges, meters }
}
