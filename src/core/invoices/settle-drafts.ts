import type { BillingContext } from '../context.js'
import type { SubscriptionRecord } from '../subscriptions/types.js'
import { type ComputedInvoice, computeInvoice } from './compute-invoice.js'
import { finalInvoice, invoiceNumbering, recomputedDraft } from './invoice-record.js'
import { mapLimited } from './map-limited.js'
import type { RunFailures } from './run-failures.js'
import type { InvoiceSources } from './sources.js'
import type { Invoice } from './types.js'

interface PricedDraft {
  draft: Invoice
  sub: SubscriptionRecord
  at: number
  computed: ComputedInvoice
}

/**
 * Recomputes drafts still inside the grace period, and finalizes the others. Every draft is priced
 * first: one that cannot be (see {@link RunFailures}) is reported and left as it is, open to late
 * events. The usage of the others past the grace period is then closed (later events for those
 * periods answer `PERIOD_CLOSED`), priced one last time and numbered in the storage's finalizing
 * transaction. Drafts of a customer held back by a failure are only recomputed, and drafts this
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
  const { finalized, failures } = run
  const stale = drafts.filter((draft) => !run.fresh.has(draft.id))
  const priced = await mapLimited(stale, async (draft): Promise<PricedDraft | null> => {
    const sub = await ctx.storage.getSubscription(draft.subscription_id)
    if (sub === null) return null
    const at = Date.parse(draft.period_end)
    const computed = await failures.isolate(sub, at, () => computeInvoice(ctx, sources, sub, at))
    return computed === undefined ? null : { draft, sub, at, computed }
  })
  const ready = priced.filter((p): p is PricedDraft => p !== null)
  const due = (p: PricedDraft) =>
    (p.draft.period_start === p.draft.period_end || p.at + ctx.invoicing.graceMs <= now) &&
    !failures.holds(p.sub.customer_id)
  const billsUsage = (p: PricedDraft) => p.draft.period_start !== p.draft.period_end
  const closing = new Set(ready.filter(due))
  const closes = [...closing]
    .filter(billsUsage)
    .map((p) => ({ customer_id: p.draft.customer_id, before: p.at }))
  if (closes.length > 0) await ctx.storage.closePeriods(closes)
  const numbering = invoiceNumbering(ctx.invoicing)
  await mapLimited(ready, async (p) => {
    if (!closing.has(p)) {
      const changed = recomputedDraft(p.draft, p.computed, now)
      if (changed !== null) await ctx.storage.updateDraftInvoice(changed)
      return
    }
    // Usage read after the close is final; a first invoice bills none.
    const computed = billsUsage(p)
      ? await failures.isolate(p.sub, p.at, () => computeInvoice(ctx, sources, p.sub, p.at))
      : p.computed
    if (computed === undefined) return
    const final = await ctx.storage.finalizeInvoice(
      finalInvoice(p.draft, computed, ctx.invoicing, now),
      numbering,
    )
    if (final !== null) finalized.push(final)
  })
}
