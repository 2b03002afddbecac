import { ErrorCode, ValidationError, validationErrorFromZod } from '../errors.js'
import { CHARGE_MODELS, type ChargeModel, chargeSchemas } from './schema.js'
import type { Charge } from './types.js'

/**
 * Validates a charge definition. Returns it unchanged when valid; otherwise throws a
 * `ValidationError` whose `details.path` names the offending field (prefixed with `path`).
 *
 * @example
 * validateCharge({ model: 'per_unit', unit_amount: '50' })           // ok
 * validateCharge({ model: 'graduated', tiers: [{ up_to: 10, unit_amount: 1 }] })
 * // throws ValidationError INVALID_TIERS, details.path 'tiers[0].up_to'
 */
export function validateCharge(charge: unknown, path = ''): Charge {
  const at = (field: string) => (path ? `${path}.${field}` : field)
  if (typeof charge !== 'object' || charge === null || Array.isArray(charge)) {
    throw new ValidationError(ErrorCode.INVALID_CHARGE, `${path || 'charge'} must be an object`, { path })
  }
  const model = (charge as { model?: unknown }).model
  if (typeof model !== 'string' || !Object.hasOwn(chargeSchemas, model)) {
    throw new ValidationError(
      ErrorCode.UNKNOWN_CHARGE_MODEL,
      `${at('model')} must be one of ${CHARGE_MODELS.join(', ')}, got ${JSON.stringify(model)}`,
      { path: at('model') },
    )
  }
  const result = chargeSchemas[model as ChargeModel].safeParse(charge)
  if (!result.success) throw validationErrorFromZod(result.error, ErrorCode.INVALID_CHARGE, path)
  return charge as Charge
}
