import type { BillingContext } from '../context.js'
import { newId } from '../ids.js'
import type { InvoiceCreation, PeriodClose } from '../ports.js'
import { nextBoundary, paidStart } from '../subscriptions/schedule.js'
import type { SubscriptionRecord } from '../subscriptions/types.js'
import { type ComputedInvoice, computeInvoice } from './compute-invoice.js'
import { draftInvoice, finalInvoice, invoiceNumbering } from './invoice-record.js'
import { mapLimited } from './map-limited.js'
import { RunFailures } from './run-failures.js'
import { settleDrafts } from './settle-drafts.js'
import { InvoiceSources } from './sources.js'
import type { Invoice, InvoiceRunResult } from './types.js'

const PAGE = 500
const BATCH = 100

/** The invoice a subscription owes at its next boundary, as priced so far. */
interface Owed {
  sub: SubscriptionRecord
  at: number
  computed: ComputedInvoice
  /** Final at once: the boundary bills no usage, or is past the grace period. */
  final: boolean
  /** Final and bills usage: its customer's usage is closed before the last pricing. */
  closes: boolean
}

// Prices a subscription's invoice at its next boundary with usage as it stands: a subscription that
// cannot be invoiced is reported and waits, open, for a later run.
async function owedBy(
  ctx: BillingContext,
  sources: InvoiceSources,
  sub: SubscriptionRecord,
  now: number,
  failures: RunFailures,
): Promise<Owed | null> {
  const at = sub.next_invoice_at as number
  const computed = await failures.isolate(sub, at, () => computeInvoice(ctx, sources, sub, at))
  if (computed === undefined) return null
  const billsUsage = at > paidStart(sub)
  const final = !billsUsage || at + ctx.invoicing.graceMs <= now
  return { sub, at, computed, final, closes: final && billsUsage }
}

// Closes the usage of the final invoices of a batch and prices them again on the closed usage. A
// customer held back by a failure is not closed: its invoices are created as drafts instead.
async function settleOwed(
  ctx: BillingContext,
  sources: InvoiceSources,
  owed: readonly Owed[],
  failures: RunFailures,
): Promise<Owed[]> {
  const settled = owed.map((o) => (o.closes && failures.holds(o.sub.customer_id) ? heldBack(o) : o))
  const closes: PeriodClose[] = settled
    .filter((o) => o.closes)
    .map((o) => ({ customer_id: o.sub.customer_id, before: o.at }))
  if (closes.length === 0) return settled
  await ctx.storage.closePeriods(closes)
  const repriced = await mapLimited(settled, async (o) => {
    if (!o.closes) return o
    const computed = await failures.isolate(o.sub, o.at, () => computeInvoice(ctx, sources, o.sub, o.at))
    return computed === undefined ? null : { ...o, computed }
  })
  return repriced.filter((o): o is Owed => o !== null)
}

function heldBack(owed: Owed): Owed {
  return { ...owed, final: false, closes: false }
}

async function creationOf(
  ctx: BillingContext,
  sources: InvoiceSources,
  o: Owed,
  now: number,
): Promise<InvoiceCreation> {
  const customer = await sources.customer(o.sub.customer_id)
  const draft = draftInvoice(newId('in', now), o.sub, o.computed, customer, now)
  return {
    invoice: o.final ? finalInvoice(draft, o.computed, ctx.invoicing, now) : draft,
    final: o.final,
    advance: { ...o.sub, next_invoice_at: nextBoundary(o.sub, o.at), revision: o.sub.revision + 1 },
  }
}

// Creates the invoices a page of subscriptions owes up to `now`, one boundary per subscription per
// round and a batch of invoices per transaction. The invoice key (subscription, period end) makes
// creation exactly-once; `next_invoice_at` only saves later runs the search, so losing its
// compare-and-set to another process is harmless: the subscription is re-read. A subscription
// that fails is not advanced, so later runs try its boundary again.
async function invoicePage(
  ctx: BillingContext,
  sources: InvoiceSources,
  subs: readonly SubscriptionRecord[],
  now: number,
  out: InvoiceRunResult,
  failures: RunFailures,
): Promise<void> {
  const numbering = invoiceNumbering(ctx.invoicing)
  let pending = subs.filter((s) => s.next_invoice_at !== null && s.next_invoice_at <= now)
  while (pending.length > 0) {
    const next: SubscriptionRecord[] = []
    for (let i = 0; i < pending.length; i += BATCH) {
      const priced = await mapLimited(pending.slice(i, i + BATCH), (sub) =>
        owedBy(ctx, sources, sub, now, failures),
      )
      const owed = await settleOwed(
        ctx,
        sources,
        priced.filter((o): o is Owed => o !== null),
        failures,
      )
      const items = await mapLimited(owed, (o) => creationOf(ctx, sources, o, now))
      const results = await ctx.storage.createInvoicesOnce(items, numbering)
      for (const [k, result] of results.entries()) {
        if (result.created) {
          out.created.push(result.invoice)
          if (items[k]!.final) out.finalized.push(result.invoice)
        }
        const sub = result.advanced ? items[k]!.advance! : await ctx.storage.getSubscription(owed[k]!.sub.id)
        if (sub !== null && sub.next_invoice_at !== null && sub.next_invoice_at <= now) next.push(sub)
      }
    }
    pending = next
  }
}

/**
 * `billing.invoices.run`: creates an invoice for every subscription boundary that has passed,
 * recomputes drafts inside the grace period and finalizes those past it. Idempotent and safe to
 * call from several processes at once: each invoice is created once and numbered once. A
 * subscription that cannot be invoiced (e.g. `AMOUNT_OVERFLOW`) never stops the others: it is
 * listed in `failed`, its period stays open, and every later run tries it again.
 *
 * @example
 * const { created, finalized, failed } = await runInvoices(ctx, Date.parse('2026-02-01T02:00:00Z'))
 */
export async function runInvoices(ctx: BillingContext, now: number): Promise<InvoiceRunResult> {
  const sources = new InvoiceSources(ctx)
  const failures = new RunFailures()
  const out: InvoiceRunResult = { created: [], finalized: [], failed: failures.list }
  for (let after: string | undefined; ; ) {
    const subs = await ctx.storage.listDueSubscriptions({
      due_by: now,
      limit: PAGE,
      ...(after ? { after } : {}),
    })
    await invoicePage(ctx, sources, subs, now, out, failures)
    if (subs.length < PAGE) break
    after = subs[subs.length - 1]!.id
  }
  const fresh = new Set(out.created.map((invoice) => invoice.id))
  for (let after: string | undefined; ; ) {
    const drafts = await ctx.storage.listInvoices({
      status: 'draft',
      limit: PAGE,
      ...(after ? { after } : {}),
    })
    await settleDrafts(ctx, sources, drafts, now, { finalized: out.finalized, failures, fresh })
    if (drafts.length < PAGE) break
    after = drafts[drafts.length - 1]!.id
  }
  const byId = (a: Invoice, b: Invoice) => (a.id < b.id ? -1 : 1)
  const latest = new Map(out.finalized.map((invoice) => [invoice.id, invoice]))
  return {
    created: out.created.map((invoice) => latest.get(invoice.id) ?? invoice).sort(byId),
    finalized: out.finalized.sort(byId),
    failed: failures.list,
  }
}
