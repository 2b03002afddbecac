import type { Invoice } from '../../core/invoices/types.js'

/** The columns a finalized invoice is summed by: finalization time (epoch ms), currency, total. */
export type InvoiceSummary = readonly [
  finalizedAt: number | null,
  currency: string | null,
  total: number | null,
]

/**
 * The summary columns of an invoice: set only while it counts toward totals (open, paid or
 * uncollectible), null for a draft or a void one. The totals query then filters on the time
 * alone, which leaves its index the only way in.
 *
 * @example
 * invoiceSummary({ ...invoice, status: 'open', finalized_at: '2026-01-01T00:00:00.000Z' }) // [1767225600000, 'USD', 1200]
 */
export function invoiceSummary(invoice: Invoice): InvoiceSummary {
  const counted = invoice.status === 'open' || invoice.status === 'paid' || invoice.status === 'uncollectible'
  if (!counted || invoice.finalized_at === null) return [null, null, null]
  return [Date.parse(invoice.finalized_at), invoice.currency, invoice.total]
}
