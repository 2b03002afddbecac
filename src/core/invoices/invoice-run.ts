import type { BillingContext } from '../context.js'
import { newId } from '../ids.js'
import type { InvoiceCreation, InvoiceNumbering, PeriodClose } from '../ports.js'
import { nextBoundary, paidStart } from '../subscriptions/schedule.js'
import type { SubscriptionRecord } from '../subscriptions/types.js'
import { computeInvoice } from './compute-invoice.js'
import { draftInvoice, finalInvoice, formatInvoiceNumber, recomputedDraft } from './invoice-record.js'
import { InvoiceSources } from './sources.js'
import type { Invoice, InvoiceRunResult } from './types.js'

const PAGE = 500
const PARALLEL = 8

const BATCH = 100

async function mapLimited<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker))
  return out
}

// The usage boundaries a run will finalize on creation: those past the grace period. Their
// customers' usage is closed first, for a whole page of subscriptions in one transaction.
function closesFor(subs: readonly SubscriptionRecord[], closeBy: number): PeriodClose[] {
  const closes: PeriodClose[] = []
  for (const sub of subs) {
    let last: number | null = null
    for (let at = sub.next_invoice_at; at !== null && at <= closeBy; at = nextBoundary(sub, at)) {
      if (at > paidStart(sub)) last = at
    }
    if (last !== null) closes.push({ customer_id: sub.customer_id, before: last })
  }
  return closes
}

// What the invoice at a subscription's next boundary is: final at once when the boundary is past
// the grace period (its usage was closed before) or bills no usage, else a draft. The subscription
// advances to its following boundary in the same transaction.
async function creationFor(
  ctx: BillingContext,
  sources: InvoiceSources,
  sub: SubscriptionRecord,
  at: number,
  now: number,
): Promise<InvoiceCreation> {
  const computed = await computeInvoice(ctx, sources, sub, at)
  const customer = await sources.customer(sub.customer_id)
  const draft = draftInvoice(newId('in', now), sub, computed, customer, now)
  const final = at <= paidStart(sub) || at + ctx.invoicing.graceMs <= now
  return {
    invoice: final ? finalInvoice(draft, computed, ctx.invoicing, now) : draft,
    final,
    advance: { ...sub, next_invoice_at: nextBoundary(sub, at), revision: sub.revision + 1 },
  }
}

// Creates the invoices a page of subscriptions owes up to `now`, one boundary per subscription per
// round and a batch of invoices per transaction. The invoice key (subscription, period end) makes
// creation exactly-once; `next_invoice_at` only saves later runs the search, so losing its
// compare-and-set to another process is harmless: the subscription is re-read.
async function invoicePage(
  ctx: BillingContext,
  sources: InvoiceSources,
  subs: readonly SubscriptionRecord[],
  now: number,
  out: InvoiceRunResult,
): Promise<void> {
  const numbering = numberingOf(ctx)
  let pending = subs.filter((s) => s.next_invoice_at !== null && s.next_invoice_at <= now)
  while (pending.length > 0) {
    const next: SubscriptionRecord[] = []
    for (let i = 0; i < pending.length; i += BATCH) {
      const batch = pending.slice(i, i + BATCH)
      const items = await mapLimited(batch, (sub) =>
        creationFor(ctx, sources, sub, sub.next_invoice_at!, now),
      )
      const results = await ctx.storage.createInvoicesOnce(items, numbering)
      for (const [k, result] of results.entries()) {
        if (result.created) {
          out.created.push(result.invoice)
          if (items[k]!.final) out.finalized.push(result.invoice)
        }
        const sub = result.advanced ? items[k]!.advance! : await ctx.storage.getSubscription(batch[k]!.id)
        if (sub !== null && sub.next_invoice_at !== null && sub.next_invoice_at <= now) next.push(sub)
      }
    }
    pending = next
  }
}

function numberingOf(ctx: BillingContext): InvoiceNumbering {
  const prefix = ctx.invoicing.numberPrefix
  return { sequence: prefix, format: (value: number) => formatInvoiceNumber(prefix, value) }
}

/**
 * Recomputes drafts still inside the grace period, and finalizes the others: their customers'
 * usage is closed first (later events for those periods answer `PERIOD_CLOSED`), then each is
 * priced one last time and numbered in the storage's finalizing transaction.
 */
async function settleDrafts(
  ctx: BillingContext,
  sources: InvoiceSources,
  drafts: readonly Invoice[],
  now: number,
  finalized: Invoice[],
): Promise<void> {
  const due = (invoice: Invoice) =>
    invoice.period_start === invoice.period_end ||
    Date.parse(invoice.period_end) + ctx.invoicing.graceMs <= now
  const closing = drafts.filter(due)
  const closes = closing
    .filter((invoice) => invoice.period_start !== invoice.period_end)
    .map((invoice) => ({ customer_id: invoice.customer_id, before: Date.parse(invoice.period_end) }))
  if (closes.length > 0) await ctx.storage.closePeriods(closes)
  const numbering = numberingOf(ctx)
  await mapLimited(drafts, async (draft) => {
    const sub = await ctx.storage.getSubscription(draft.subscription_id)
    if (sub === null) return
    const computed = await computeInvoice(ctx, sources, sub, Date.parse(draft.period_end))
    if (due(draft)) {
      const final = await ctx.storage.finalizeInvoice(
        finalInvoice(draft, computed, ctx.invoicing, now),
        numbering,
      )
      if (final !== null) finalized.push(final)
      return
    }
    const changed = recomputedDraft(draft, computed, now)
    if (changed !== null) await ctx.storage.updateDraftInvoice(changed)
  })
}

/**
 * `billing.invoices.run`: creates a draft for every subscription boundary that has passed,
 * recomputes drafts inside the grace period and finalizes those past it. Idempotent and safe to
 * call from several processes at once: each invoice is created once and numbered once.
 *
 * @example
 * const { created, finalized } = await runInvoices(ctx, Date.parse('2026-02-01T02:00:00Z'))
 */
export async function runInvoices(ctx: BillingContext, now: number): Promise<InvoiceRunResult> {
  const sources = new InvoiceSources(ctx)
  const out: InvoiceRunResult = { created: [], finalized: [] }
  const { created, finalized } = out
  for (let after: string | undefined; ; ) {
    const subs = await ctx.storage.listDueSubscriptions({
      due_by: now,
      limit: PAGE,
      ...(after ? { after } : {}),
    })
    const closes = closesFor(subs, now - ctx.invoicing.graceMs)
    if (closes.length > 0) await ctx.storage.closePeriods(closes)
    await invoicePage(ctx, sources, subs, now, out)
    if (subs.length < PAGE) break
    after = subs[subs.length - 1]!.id
  }
  for (let after: string | undefined; ; ) {
    const drafts = await ctx.storage.listInvoices({
      status: 'draft',
      limit: PAGE,
      ...(after ? { after } : {}),
    })
    await settleDrafts(ctx, sources, drafts, now, finalized)
    if (drafts.length < PAGE) break
    after = drafts[drafts.length - 1]!.id
  }
  const byId = (a: Invoice, b: Invoice) => (a.id < b.id ? -1 : 1)
  const latest = new Map(finalized.map((invoice) => [invoice.id, invoice]))
  return {
    created: created.map((invoice) => latest.get(invoice.id) ?? invoice).sort(byId),
    finalized: finalized.sort(byId),
  }
}
