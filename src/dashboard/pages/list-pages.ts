import type { Customer } from '../../core/customers/types.js'
import type { Invoice } from '../../core/invoices/types.js'
import type { Payment } from '../../core/payments/types.js'
import { instant, money } from '../format.js'
import { html, type SafeHtml } from '../html.js'
import { invoiceTable } from './widgets.js'

/** A link to the next page of a list, keeping the filters; nothing on the last page. */
function nextLink(
  base: string,
  path: string,
  params: Record<string, string | undefined>,
  cursor: string | null,
): SafeHtml {
  if (cursor === null) return html``
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== '') query.set(key, value)
  query.set('cursor', cursor)
  return html`<p><a href="${base}${path}?${query.toString()}" rel="next">Next page →</a></p>`
}

/**
 * The customer list: a search box and a page of customers.
 *
 * @example
 * customersContent('/dashboard', { query: 'ada', customers, next_cursor: null })
 */
export function customersContent(
  base: string,
  page: { query: string; customers: readonly Customer[]; next_cursor: string | null },
): SafeHtml {
  const rows = page.customers.map(
    (c) =>
      html`<tr><td><a href="${base}/customers/${encodeURIComponent(c.id)}">${c.id}</a></td><td>${c.name ?? ''}</td><td>${c.email ?? ''}</td><td>${instant(c.created_at)}</td></tr>`,
  )
  return html`<h1>Customers</h1>
<form method="get" action="${base}/customers" role="search"><label for="q">Search by id, name or email</label>
<input id="q" name="q" type="search" value="${page.query}" maxlength="200"> <button type="submit">Search</button></form>
<section class="card">${rows.length === 0 ? html`<p class="muted">No customers${page.query === '' ? '' : ' match'}.</p>` : html`<table><thead><tr><th>id</th><th>name</th><th>email</th><th>since</th></tr></thead><tbody>${rows}</tbody></table>`}
${nextLink(base, '/customers', { q: page.query }, page.next_cursor)}</section>`
}

/** The invoice filters the list takes. */
export interface InvoiceFilters {
  status?: string
  customer_id?: string
}

/**
 * The invoice list with its filters.
 *
 * @example
 * invoicesContent('/dashboard', now, {}, { invoices, next_cursor: null })
 */
export function invoicesContent(
  base: string,
  now: number,
  filters: InvoiceFilters,
  page: { invoices: readonly Invoice[]; next_cursor: string | null },
): SafeHtml {
  const statuses = ['', 'draft', 'open', 'past_due', 'paid', 'uncollectible', 'void'].map(
    (s) =>
      html`<option value="${s}" ${filters.status === s ? html`selected` : ''}>${s === '' ? 'any' : s === 'past_due' ? 'past due' : s}</option>`,
  )
  return html`<h1>Invoices</h1>
<form method="get" action="${base}/invoices" class="grid">
<div><label for="status">Status</label><select id="status" name="status">${statuses}</select></div>
<div><label for="customer">Customer id</label><input id="customer" name="customer_id" value="${filters.customer_id ?? ''}" maxlength="255"></div>
<div><label class="sr-only" for="apply">Apply</label><button id="apply" type="submit">Filter</button></div>
</form>
<section class="card">${invoiceTable(base, page.invoices, now)}
${nextLink(base, '/invoices', { status: filters.status, customer_id: filters.customer_id }, page.next_cursor)}</section>`
}

/**
 * One invoice: its summary, its payments, and the printable render in a sandboxed frame.
 *
 * @example
 * invoiceContent('/dashboard', invoice, payments)
 */
export function invoiceContent(base: string, invoice: Invoice, payments: readonly Payment[]): SafeHtml {
  const id = encodeURIComponent(invoice.id)
  const rows = payments.map(
    (p) =>
      html`<tr><td>${instant(p.created_at)}</td><td>${p.gateway}</td><td>${p.status}</td><td class="num">${money(p.amount, p.currency)}</td></tr>`,
  )
  return html`<h1>Invoice ${invoice.number ?? invoice.id}</h1>
<p class="muted"><a href="${base}/customers/${encodeURIComponent(invoice.customer_id)}">${invoice.customer_id}</a> · ${invoice.status} · total ${money(invoice.total, invoice.currency)} · <a href="${base}/invoices/${id}/render" download="${invoice.number ?? invoice.id}.html">Download</a></p>
<section class="card"><h2>Payments</h2>${rows.length === 0 ? html`<p class="muted">None.</p>` : html`<table><thead><tr><th>when</th><th>gateway</th><th>status</th><th class="num">amount</th></tr></thead><tbody>${rows}</tbody></table>`}</section>
<section class="card"><h2>As printed</h2><iframe title="Invoice ${invoice.number ?? invoice.id}" src="${base}/invoices/${id}/render" sandbox="" width="100%" height="900"></iframe></section>`
}

/**
 * The sign-in page: an `admin` API key, posted with the page's CSRF token.
 *
 * @example
 * signInContent('/dashboard', csrf, null)
 */
export function signInContent(base: string, csrf: string, error: string | null): SafeHtml {
  return html`<section class="card"><h1>Sign in to kobometer</h1>
${error === null ? '' : html`<p class="error" role="alert">${error}</p>`}
<form method="post" action="${base}/sign-in"><input type="hidden" name="csrf" value="${csrf}">
<label for="key">Admin API key</label><input id="key" name="key" type="password" autocomplete="off" required size="50" placeholder="kbm_sk_…">
<p><button type="submit">Sign in</button></p></form></section>`
}
