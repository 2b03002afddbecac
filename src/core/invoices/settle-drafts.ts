import type { BillingContext } from '../context.js'
import { computeInvoice } from './compute-invoice.js'
import { invoiceOutbox } from './invoice-notifications.js'
import { finalInvoice, invoiceNumbering, recomputedDraft } from './invoice-record.js'
import { mapLimited } from './map-limited.js'
import type { RunFailures } from './run-failures.js'
import type { InvoiceSources } from './sources.js'
import type { Invoice } from './types.js'

/**
 * Recomputes drafts still inside the grace period, and finalizes the others: their customers'
 * usage is closed first (later events for those periods answer `PERIOD_CLOSED`), then each is
 * priced one last time and numbered in the storage's finalizing transaction. A draft that cannot
 * be priced (see {@link RunFailures}) is reported and left as it is, for later runs. Drafts this
 * run created (`fresh`, by id) were just priced and are left alone.
 *
 * @example
 * await settleDrafts(ctx, sources, drafts, now, { finalized, failures, fresh: new Set() })
 */
export async function settleDrafts(
  ctx: BillingContext,
  sources: InvoiceSources,
  drafts: readonly Invoice[],
  now: number,
  run: { finalized: Invoice[]; failures: RunFailures; fresh: ReadonlySet<string> },
): Promise<void> {
  const due = (invoice: Invoice) =>
    invoice.period_start === invoice.period_end ||
    Date.parse(invoice.period_end) + ctx.invoicing.graceMs <= now
  const stale = drafts.filter((draft) => !run.fresh.has(draft.id))
  const closes = stale
    .filter((invoice) => due(invoice) && invoice.period_start !== invoice.period_end)
    .map((invoice) => ({ customer_id: invoice.customer_id, before: Date.parse(invoice.period_end) }))
  if (closes.length > 0) await ctx.storage.events.closePeriods(closes)
  const numbering = invoiceNumbering(ctx.invoicing)
  await mapLimited(stale, async (draft) => {
    const sub = await ctx.storage.subscriptions.get(draft.subscription_id)
    if (sub === null) return
    const at = Date.parse(draft.period_end)
    const computed = await run.failures.isolate(sub, at, () => computeInvoice(ctx, sources, sub, at))
    if (computed === undefined) return
    if (due(draft)) {
      const final = await ctx.storage.invoices.finalize(
        finalInvoice(draft, computed, ctx.invoicing, now),
        numbering,
        invoiceOutbox(ctx.now(), 'invoice.finalized'),
      )
      if (final !== null) run.finalized.push(final)
      return
    }
    const changed = recomputedDraft(draft, computed, now)
    if (changed !== null) await ctx.storage.invoices.updateDraft(changed)
  })
}
