import type { BillingContext } from '../context.js'
import type { Payment } from '../payments/types.js'
import { noticeFailingPayments } from './failing-payments.js'
import { sweepUsage } from './usage-sweep.js'

/** What the churn checks of one tick wrote. */
export interface ChurnResult {
  /** `subscription.trial_will_end` notifications written. */
  trial_will_end: number
  /** `customer.at_risk` notifications written. */
  at_risk: number
  /** Whether today's usage sweep has been through every subscription (in this process). */
  usage_sweep_done: boolean
}

/**
 * The churn checks `tick` runs after collection: failing payments of this tick, and a page of the
 * daily usage sweep. `trial` is what the trial step (run before the invoice run) wrote.
 *
 * @example
 * const churn = await checkChurn(ctx, now, payments, await noticeTrials(ctx, now))
 */
export async function checkChurn(
  ctx: BillingContext,
  now: number,
  payments: readonly Payment[],
  trial: { trial_will_end: number; at_risk: number },
): Promise<ChurnResult> {
  const failing = await noticeFailingPayments(ctx, payments)
  const sweep = await sweepUsage(ctx, now)
  return {
    trial_will_end: trial.trial_will_end,
    at_risk: trial.at_risk + failing + sweep.at_risk,
    usage_sweep_done: sweep.done,
  }
}
