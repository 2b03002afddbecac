import type { BillingContext } from '../context.js'
import { attemptsOf } from '../payments/collect.js'
import type { Payment } from '../payments/types.js'
import { notifyAtRisk } from './at-risk.js'
import { failedInARow } from './churn-rules.js'

/**
 * The payment step of `tick`: for each invoice whose charge failed in this tick, `customer.at_risk`
 * (`payment_failing`, once per invoice) when its latest charges failed `failedAttempts` (default 2)
 * times in a row (being past due is no sign of its own: with the default `invoiceDueDays: 0` an
 * invoice is past due from its first failure). Costs one attempts read per invoice whose charge
 * failed. Answers how many it stored.
 *
 * @example
 * const at_risk = await noticeFailingPayments(ctx, tickResult.payments)
 */
export async function noticeFailingPayments(
  ctx: BillingContext,
  payments: readonly Payment[],
): Promise<number> {
  const invoices = new Set(payments.filter((p) => p.status === 'failed').map((p) => p.invoice_id))
  let stored = 0
  for (const invoice_id of invoices) {
    const failed = failedInARow(await attemptsOf(ctx, invoice_id))
    if (failed < ctx.notifications.churn.failedAttempts) continue
    const invoice = await ctx.storage.invoices.get(invoice_id)
    if (invoice === null) continue
    const figures = { invoice_id, subscription_id: invoice.subscription_id, attempts: failed }
    if (await notifyAtRisk(ctx, invoice.customer_id, 'payment_failing', invoice_id, figures)) stored++
  }
  return stored
}
