import type { BillingContext } from '../context.js'
import { newId } from '../ids.js'
import { type ProgressListener, report } from '../logger.js'
import type { InvoiceCreation, PeriodClose } from '../ports/index.js'
import { nextBoundary, paidStart } from '../subscriptions/schedule.js'
import type { SubscriptionRecord } from '../subscriptions/types.js'
import { computeInvoice } from './compute-invoice.js'
import { createdOutbox } from './invoice-notifications.js'
import { draftInvoice, finalInvoice, invoiceNumbering } from './invoice-record.js'
import { mapLimited } from './map-limited.js'
import { readAhead } from './read-ahead.js'
import { RunFailures } from './run-failures.js'
import { type InvoiceRunShard, inShard } from './run-shard.js'
import { settleDrafts } from './settle-drafts.js'
import { InvoiceSources } from './sources.js'
import type { Invoice, InvoiceRunResult } from './types.js'

const PAGE = 500
const BATCH = 100

// The usage boundaries a run will finalize on creation: those past the grace period. Their
// customers' usage is closed first, for a whole page of subscriptions in one transaction, so each
// invoice is priced once, on usage that can no longer change.
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
// advances to its following boundary in the same transaction. A subscription that cannot be
// invoiced is reported and answers null: it is not advanced, so later runs try it again.
async function creationFor(
  ctx: BillingContext,
  sources: InvoiceSources,
  sub: SubscriptionRecord,
  now: number,
  failures: RunFailures,
): Promise<InvoiceCreation | null> {
  const at = sub.next_invoice_at as number
  const computed = await failures.isolate(sub, at, () => computeInvoice(ctx, sources, sub, at))
  if (computed === undefined) return null
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
    const batches: SubscriptionRecord[][] = []
    for (let i = 0; i < pending.length; i += BATCH) batches.push(pending.slice(i, i + BATCH))
    let ahead = batches.length > 0 ? readAhead(sources, batches[0]!) : undefined
    for (const [b, batch] of batches.entries()) {
      await ahead
      let creations: Array<InvoiceCreation | null>
      try {
        creations = await mapLimited(batch, (sub) => creationFor(ctx, sources, sub, now, failures))
      } finally {
        sources.forgetUsage()
      }
      // The next batch's inputs are read while this one is written; a failure surfaces at its turn.
      ahead = b + 1 < batches.length ? readAhead(sources, batches[b + 1]!) : undefined
      ahead?.catch(() => undefined)
      const subs = batch.filter((_, k) => creations[k] !== null)
      const items = creations.filter((c): c is InvoiceCreation => c !== null)
      if (items.length === 0) continue
      const results = await ctx.storage.invoices.create(items, numbering, createdOutbox(ctx.now()))
      for (const [k, result] of results.entries()) {
        if (result.created) {
          out.created.push(result.invoice)
          if (items[k]!.final) out.finalized.push(result.invoice)
        }
        const sub = result.advanced ? items[k]!.advance! : await ctx.storage.subscriptions.get(subs[k]!.id)
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
 * listed in `failed`, it is not advanced, and every later run tries it again. `onProgress` hears,
 * after each page, how many due subscriptions (`invoice_subscriptions`) and then how many drafts
 * (`settle_drafts`) have been through. With a `shard`, only the subscriptions of that shard (and
 * their drafts) are run: workers running every shard of one count share the work without overlap.
 *
 * @example
 * const { created, finalized, failed } = await runInvoices(ctx, Date.parse('2026-02-01T02:00:00Z'))
 */
export async function runInvoices(
  ctx: BillingContext,
  now: number,
  onProgress?: ProgressListener,
  shard?: InvoiceRunShard,
): Promise<InvoiceRunResult> {
  const { logger } = ctx
  const started = Date.now()
  logger.info('invoice run started', {
    now: new Date(now).toISOString(),
    ...(shard === undefined ? {} : { shard: `${shard.index}/${shard.count}` }),
  })
  const sources = new InvoiceSources(ctx)
  const failures = new RunFailures(logger)
  const out: InvoiceRunResult = { created: [], finalized: [], failed: failures.list }
  let subscriptions = 0
  let drafted = 0
  for (let after: string | undefined; ; ) {
    const page = await ctx.storage.subscriptions.listDue({
      due_by: now,
      limit: PAGE,
      ...(after ? { after } : {}),
      ...(shard === undefined ? {} : { shard }),
    })
    // The storage filters by shard where it reads; rows it could not place are sorted out here.
    const subs = shard === undefined ? page : page.filter((sub) => inShard(shard, sub.id))
    const closes = closesFor(subs, now - ctx.invoicing.graceMs)
    if (closes.length > 0) await ctx.storage.events.closePeriods(closes)
    await invoicePage(ctx, sources, subs, now, out, failures)
    subscriptions += subs.length
    report(onProgress, logger, { phase: 'invoice_subscriptions', done: subscriptions })
    if (page.length < PAGE) break
    after = page[page.length - 1]!.id
  }
  const fresh = new Set(out.created.map((invoice) => invoice.id))
  for (let after: string | undefined; ; ) {
    const page = await ctx.storage.invoices.list({
      status: 'draft',
      limit: PAGE,
      ...(after ? { after } : {}),
      ...(shard === undefined ? {} : { shard }),
    })
    const drafts = shard === undefined ? page : page.filter((d) => inShard(shard, d.subscription_id))
    await settleDrafts(ctx, sources, drafts, now, { finalized: out.finalized, failures, fresh })
    drafted += drafts.length
    report(onProgress, logger, { phase: 'settle_drafts', done: drafted })
    if (page.length < PAGE) break
    after = page[page.length - 1]!.id
  }
  const byId = (a: Invoice, b: Invoice) => (a.id < b.id ? -1 : 1)
  const latest = new Map(out.finalized.map((invoice) => [invoice.id, invoice]))
  logger.info('invoice run finished', {
    subscriptions,
    drafts: drafted,
    created: out.created.length,
    finalized: out.finalized.length,
    failed: failures.list.length,
    duration_ms: Date.now() - started,
  })
  return {
    created: out.created.map((invoice) => latest.get(invoice.id) ?? invoice).sort(byId),
    finalized: out.finalized.sort(byId),
    failed: failures.list,
  }
}
