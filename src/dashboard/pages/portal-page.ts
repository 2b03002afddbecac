import type { Customer } from '../../core/customers/types.js'
import type { Invoice, InvoicePreview } from '../../core/invoices/types.js'
import { instant, money, quantity } from '../format.js'
import { randomToken } from '../forms.js'
import { html, type SafeHtml } from '../html.js'
import type { CustomerMeter } from './customer-page.js'
import { fillBar, usageChart } from './widgets.js'

/** What a customer sees of themselves in the portal. */
export interface PortalData {
  customer: Customer
  /** Where the host's own account page is, from the portal link. */
  returnUrl: string | null
  meters: CustomerMeter[]
  preview: InvoicePreview | null
  invoices: Invoice[]
}

/**
 * The customer portal: usage against limits, the running charge, invoices (view and download) and
 * a button to pay what is open or buy a top-up. Every link carries the portal token's path, and
 * nothing of any other customer is on the page.
 *
 * @example
 * portalContent('/dashboard/portal/tok', csrf, data)
 */
export function portalContent(base: string, csrf: string, data: PortalData): SafeHtml {
  const meters = data.meters.map(
    (
      m,
    ) => html`<section class="card" aria-labelledby="m-${m.code}"><h2 id="m-${m.code}">${m.name ?? m.code}</h2>
<p><span class="figure" data-live-usage="${m.code}">${m.usedText}</span> this period ${m.limit === null ? '' : html`of ${quantity(m.limit)}`} · ${fillBar(m.used, m.limit, m.code)}</p>
${usageChart(m.code, `${m.code} by hour`, m.points, m.limit)}
${m.topUp ? html`<form method="post" action="${base}/top-up"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="meter" value="${m.code}"><input type="hidden" name="request_id" value="${randomToken()}"><button type="submit">Buy another block</button></form>` : ''}</section>`,
  )
  const invoices = data.invoices.map((invoice) => {
    const owed = invoice.amount_due - invoice.amount_paid
    const id = encodeURIComponent(invoice.id)
    return html`<tr><td>${invoice.number ?? '—'}</td><td>${instant(invoice.period_start).slice(0, 11)} – ${instant(invoice.period_end).slice(0, 11)}</td>
<td><span class="badge ${invoice.status === 'paid' ? 'ok' : invoice.status === 'open' ? 'warn' : ''}">${invoice.status}</span></td>
<td class="num">${money(invoice.total, invoice.currency)}</td>
<td><a href="${base}/invoices/${id}">View</a> · <a href="${base}/invoices/${id}" download="${invoice.number ?? invoice.id}.html">Download</a>
${invoice.status === 'open' && owed > 0 ? html` · <form class="inline" method="post" action="${base}/pay"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="invoice_id" value="${invoice.id}"><button type="submit">Pay ${money(owed, invoice.currency)}</button></form>` : ''}</td></tr>`
  })
  return html`${data.returnUrl === null ? '' : html`<p><a href="${data.returnUrl}">← Back</a></p>`}
<h1>${data.customer.name ?? data.customer.id}</h1>
<section class="card" aria-labelledby="running"><h2 id="running">This period so far</h2>
${data.preview === null ? html`<p class="muted">No open period.</p>` : html`<div class="figure">${money(data.preview.total, data.preview.currency)}</div><div class="muted">${instant(data.preview.period_start)} – ${instant(data.preview.period_end)}</div>`}</section>
${meters}
<section class="card" aria-labelledby="invoices"><h2 id="invoices">Invoices</h2>
${invoices.length === 0 ? html`<p class="muted">None yet.</p>` : html`<table><thead><tr><th>number</th><th>period</th><th>status</th><th class="num">total</th><th></th></tr></thead><tbody>${invoices}</tbody></table>`}</section>`
}
