import type { Invoice } from '../../core/invoices/types.js'

/** The columns a finalized invoice is summed by: finalization time (epoch ms), currency, total. */
export type InvoiceSummary = readonly [
  finalizedAt: number | null,
  currency: string | null,
  total: number | null,
]

/**
 * The summary columns of an invoice: all null until it is finalized (a draft, or voided as a draft).
 *
 * @example
 * invoiceSummary({ ...invoice, status: 'open', finalized_at: '2026-01-01T00:00:00.000Z' }) // [1767225600000, 'USD', 1200]
 */
export function invoiceSummary(invoice: Invoice): InvoiceSummary {
  if (invoice.finalized_at === null) return [null, null, null]
  return [Date.parse(invoice.finalized_at), invoice.currency, invoice.total]
}
