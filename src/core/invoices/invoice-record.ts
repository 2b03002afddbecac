import type { InvoicingSettings } from '../context.js'
import type { Customer } from '../customers/types.js'
import type { InvoiceNumbering } from '../ports/index.js'
import type { SubscriptionRecord } from '../subscriptions/types.js'
import { isoTime as iso } from '../time/iso-time.js'
import { DAY_MS } from '../time/wall-clock.js'
import type { ComputedInvoice } from './compute-invoice.js'
import type { Invoice } from './types.js'

/**
 * A new draft invoice from a computed one.
 *
 * @example
 * const draft = draftInvoice('in_…', sub, computed, customer, now)
 */
export function draftInvoice(
  id: string,
  sub: SubscriptionRecord,
  computed: ComputedInvoice,
  customer: Customer | null,
  now: number,
): Invoice {
  const { period_start, period_end, ...content } = computed
  return {
    id,
    number: null,
    customer_id: sub.customer_id,
    subscription_id: sub.id,
    currency: sub.currency,
    status: 'draft',
    period_start: iso(period_start),
    period_end: iso(period_end),
    ...content,
    created_at: iso(now),
    updated_at: iso(now),
    finalized_at: null,
    due_at: null,
    voided_at: null,
    amount_paid: 0,
    paid_at: null,
    attempt_count: 0,
    next_payment_attempt: null,
    timezone: sub.timezone,
    customer_name: customer?.name ?? null,
    customer_email: customer?.email ?? null,
    customer_address: customer?.address ?? null,
    customer_tax_id: customer?.tax_id ?? null,
  }
}

/**
 * A draft with freshly computed content (null when nothing changed).
 *
 * @example
 * const changed = recomputedDraft(draft, computed, now)
 */
export function recomputedDraft(draft: Invoice, computed: ComputedInvoice, now: number): Invoice | null {
  const { period_start: _s, period_end: _e, ...content } = computed
  const same =
    draft.total === content.total &&
    draft.plan_version === content.plan_version &&
    JSON.stringify(draft.lines) === JSON.stringify(content.lines)
  return same ? null : { ...draft, ...content, updated_at: iso(now) }
}

/**
 * The final form of a draft: `open`, finalized now, due after the configured days, naming the
 * configured seller as it is now. The number is assigned by the storage in the same transaction.
 *
 * @example
 * const final = finalInvoice(draft, computed, settings, now)
 */
export function finalInvoice(
  draft: Invoice,
  computed: ComputedInvoice,
  settings: InvoicingSettings,
  now: number,
): Invoice {
  const { period_start: _s, period_end: _e, ...content } = computed
  return {
    ...draft,
    ...content,
    status: 'open',
    updated_at: iso(now),
    finalized_at: iso(now),
    due_at: iso(now + settings.dueDays * DAY_MS),
    seller: settings.seller === null ? null : structuredClone(settings.seller),
  }
}

/**
 * Formats a sequence value as an invoice number: the prefix and at least six digits.
 *
 * @example
 * formatInvoiceNumber('INV-', 1) // 'INV-000001'
 */
export function formatInvoiceNumber(prefix: string, value: number): string {
  return `${prefix}${String(value).padStart(6, '0')}`
}

/**
 * The gapless sequence finalized invoices are numbered from, and how its values are written.
 *
 * @example
 * invoiceNumbering(ctx.invoicing).format(1) // 'INV-000001'
 */
export function invoiceNumbering(settings: InvoicingSettings): InvoiceNumbering {
  const prefix = settings.numberPrefix
  return { sequence: prefix, format: (value: number) => formatInvoiceNumber(prefix, value) }
}
