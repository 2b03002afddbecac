import { chargeMeterCode } from '../plans/charge-meters.js'
import type { Plan } from '../plans/types.js'
import { depletionOf, limitsOf } from '../plans/validate-plan-limits.js'

/** What a plan version allows of one meter per period. */
export interface MeterAllowance {
  /** Decimal string; null for a meter only alerts watch. */
  limit: string | null
  /** Refused past the limit (`reject`, or a block that pauses), not only reported. */
  enforce: boolean
  /** A prepaid block's size, when the allowance is a block (top-ups add blocks of this size). */
  block_size: string | null
}

/**
 * The allowances a plan version gives per period, by meter code: each `limits` entry, and each
 * `prepaid_block` charge (its block; enforced when it pauses on depletion, reported otherwise).
 *
 * @example
 * planAllowances(plan).get('api_calls') // { limit: '200000', enforce: true, block_size: '200000' }
 */
export function planAllowances(plan: Plan): Map<string, MeterAllowance> {
  const out = new Map<string, MeterAllowance>()
  for (const limit of limitsOf(plan)) {
    out.set(limit.meter, { limit: limit.quantity, enforce: limit.on_exceed === 'reject', block_size: null })
  }
  for (const charge of plan.charges) {
    if (charge.model !== 'prepaid_block') continue
    const code = chargeMeterCode(charge)
    if (out.has(code)) continue
    const size = String(charge.block_size)
    out.set(code, { limit: size, enforce: depletionOf(charge) === 'pause', block_size: size })
  }
  return out
}

/**
 * Whether a plan version limits anything: the view skips all allowance work until some plan does.
 *
 * @example
 * hasAllowances(plan) // true
 */
export function hasAllowances(plan: Plan): boolean {
  return limitsOf(plan).length > 0 || plan.charges.some((c) => c.model === 'prepaid_block')
}
