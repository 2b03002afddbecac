import type { Invoice } from '../../core/invoices/types.js'

/**
 * The columns a finalized invoice is summed by (finalization time in epoch ms, currency, total)
 * and found past due by (its due time while open).
 */
export type InvoiceSummary = readonly [
  finalizedAt: number | null,
  currency: string | null,
  total: number | null,
  openDueAt: number | null,
]

/**
 * The summary columns of an invoice: the totals columns set only while it counts toward totals
 * (open, paid or uncollectible), null for a draft or a void one, so the totals query filters on
 * the time alone and its index is the only way in; the due time set only while it is open, so
 * the past-due query is one range of its index.
 *
 * @example
 * invoiceSummary({ ...invoice, status: 'open', finalized_at: '2026-01-01T00:00:00.000Z', due_at: '2026-01-15T00:00:00.000Z' })
 * // [1767225600000, 'USD', 1200, 1768435200000]
 */
export function invoiceSummary(invoice: Invoice): InvoiceSummary {
  const counted = invoice.status === 'open' || invoice.status === 'paid' || invoice.status === 'uncollectible'
  const openDueAt = invoice.status === 'open' && invoice.due_at !== null ? Date.parse(invoice.due_at) : null
  if (!counted || invoice.finalized_at === null) return [null, null, null, openDueAt]
  return [Date.parse(invoice.finalized_at), invoice.currency, invoice.total, openDueAt]
}
