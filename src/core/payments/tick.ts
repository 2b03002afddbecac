import type { BillingContext } from '../context.js'
import { BillingError } from '../errors.js'
import { runInvoices } from '../invoices/invoice-run.js'
import type { Invoice, InvoiceRunResult } from '../invoices/types.js'
import { collectInvoice, lastAttempt } from './collect.js'
import type { Payment } from './types.js'

/** What `billing.tick` did. */
export interface TickResult {
  invoices: InvoiceRunResult
  /** Payments started, resolved or retried by this tick. */
  payments: Payment[]
  /** Open invoices left alone, and why (e.g. `NO_PAYMENT_METHOD`). */
  skipped: Array<{ invoice_id: string; code: string }>
}

const PAGE = 200

// An open invoice is due for collection when it has no attempt yet, when its last attempt's outcome
// is unknown (processing past its owner's lease, or pending 3-D Secure), or when its dunning retry
// time has come.
function due(invoice: Invoice, last: Payment | null, now: number): boolean {
  if (last === null) return true
  if (last.status === 'processing') return last.lease_until <= now
  if (last.status === 'pending') return true
  if (last.status === 'failed')
    return invoice.next_payment_attempt !== null && Date.parse(invoice.next_payment_attempt) <= now
  return false
}

/**
 * `billing.tick`: everything due at `now`: `invoices.run`, then collection of open invoices (new
 * ones, unknown outcomes, and dunning retries). Safe when several processes tick at once: each
 * attempt is started by one process, and an attempt whose outcome is unknown is verified by
 * reference before any new charge.
 *
 * @example
 * setInterval(() => billing.tick(), 60_000)
 */
export async function tick(ctx: BillingContext, now: number): Promise<TickResult> {
  const invoices = await runInvoices(ctx, now)
  const payments: Payment[] = []
  const skipped: TickResult['skipped'] = []
  for (let after: string | undefined; ; ) {
    const open = await ctx.storage.listInvoices({ status: 'open', limit: PAGE, ...(after ? { after } : {}) })
    for (const invoice of open) {
      const last = await lastAttempt(ctx, invoice.id)
      if (!due(invoice, last, now)) continue
      try {
        const applied = await collectInvoice(ctx, invoice, now, last)
        if (applied !== null) payments.push(applied.payment)
      } catch (error) {
        // One invoice that cannot be collected never stops the others.
        if (!(error instanceof BillingError)) throw error
        skipped.push({ invoice_id: invoice.id, code: error.code })
      }
    }
    if (open.length < PAGE) break
    after = open[open.length - 1]!.id
  }
  return { invoices, payments, skipped }
}
