import { parseAmount } from '../money/amount.js'
import { Decimal, ZERO } from '../money/decimal.js'
import type { ModelPricer } from './model-pricer.js'
import type { PackageCharge } from './types.js'

/**
 * `package`: units beyond `free_units` are sold in whole packages of `package_size`; a started
 * package is paid in full.
 *
 * @example
 * const price = compilePackage({ model: 'package', package_size: 1000, package_amount: '200' })
 * price(new Decimal(1_234_567)).precise.toFixed() // '247000' (1,235 packages)
 */
export function compilePackage(charge: PackageCharge): ModelPricer {
  const size = parseAmount(charge.package_size, 'package_size')
  const packageAmount = parseAmount(charge.package_amount, 'package_amount')
  const free = charge.free_units === undefined ? ZERO : parseAmount(charge.free_units, 'free_units')
  return (quantity) => {
    const billable = Decimal.max(quantity.minus(free), ZERO)
    const packages = billable.dividedBy(size).ceil()
    return { precise: packages.times(packageAmount) }
  }
}
