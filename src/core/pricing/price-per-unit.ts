import { parseAmount } from '../money/amount.js'
import type { ModelPricer } from './model-pricer.js'
import type { PerUnitCharge } from './types.js'

/**
 * `per_unit`: every unit costs `unit_amount`.
 *
 * @example
 * compilePerUnit({ model: 'per_unit', unit_amount: '50' })(new Decimal(1234)).precise.toFixed() // '61700'
 */
export function compilePerUnit(charge: PerUnitCharge): ModelPricer {
  const unit = parseAmount(charge.unit_amount, 'unit_amount')
  return (quantity) => ({ precise: quantity.times(unit) })
}
