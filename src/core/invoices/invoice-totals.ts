import { z } from 'zod'
import type { BillingContext } from '../context.js'
import { ErrorCode, ValidationError, validationErrorFromZod } from '../errors.js'
import type { InvoiceTotal } from '../ports/index.js'
import { requireTime, type TimeInput } from '../time/time-input.js'

/** What `billing.invoices.totals` takes: a window `[from, to)` of finalization times. */
export interface InvoiceTotalsInput {
  from: TimeInput
  to: TimeInput
}

const timeInput = z.union([z.string(), z.number(), z.date()])
const totalsSchema = z.object({ from: timeInput, to: timeInput }).strict()

/**
 * `billing.invoices.totals`: the invoices finalized in `[from, to)` that are open, paid or
 * uncollectible, counted and their totals (minor units) summed per currency and status. Read
 * through an index on the finalization time: O(invoices finalized in the window).
 *
 * @example
 * await invoiceTotals(ctx, { from: '2026-01-01', to: '2026-02-01' })
 * // [{ currency: 'NGN', status: 'paid', count: 412, total: 51_250_000 }, …]
 */
export async function invoiceTotals(ctx: BillingContext, input: InvoiceTotalsInput): Promise<InvoiceTotal[]> {
  const parsed = totalsSchema.safeParse(input)
  if (!parsed.success) throw validationErrorFromZod(parsed.error)
  const from = requireTime(input.from, 'from')
  const to = requireTime(input.to, 'to')
  if (to < from)
    throw new ValidationError(ErrorCode.INVALID_WINDOW, 'to must not be before from', { path: 'to' })
  return ctx.storage.invoices.totals({ from, to })
}
