import type { Invoice } from '../../core/invoices/types.js'
import type { Notification } from '../../core/notifications/types.js'
import { instant, money, quantity } from '../format.js'
import { html, type SafeHtml } from '../html.js'
import { type ChartPoints, fillBar, invoiceTable, notificationTable, summary, usageChart } from './widgets.js'

/** What the overview shows. */
export interface OverviewData {
  now: number
  period: { from: string; to: string }
  /**
   * Finalized this period, the part of it paid, and accruing in open periods (the upcoming
   * invoices' totals), per currency, in minor units; `accruing` null while not yet summed.
   */
  revenue: Array<{ currency: string; finalized: bigint; paid: bigint; accruing: bigint | null }>
  /** When the accruing figures were summed and over how many subscriptions; null: not yet. */
  accruing: { asOf: number; subscriptions: number; failed: number } | null
  /** All customers' usage of each meter by hour over the last 7 days, and its total. */
  meters: Array<{ code: string; name: string | null; points: ChartPoints; total: string }>
  /** Customers at or past 80% of a limit. */
  nearLimit: Array<{ customer_id: string; meter: string; used: number; limit: number }>
  /** The top customers of each meter over the last 24 hours. */
  top: Array<{ meter: string; customers: Array<{ customer_id: string; quantity: string }> }>
  atRisk: Notification[]
  /** The first 100 open and past-due invoices (`…More`: there are more). */
  invoices: {
    open: Invoice[]
    openMore: boolean
    pastDue: Invoice[]
    pastDueMore: boolean
    needsAttention: Notification[]
  }
  notifications: Notification[]
}

function customerLink(base: string, id: string): SafeHtml {
  return html`<a href="${base}/customers/${encodeURIComponent(id)}">${id}</a>`
}

/**
 * The overview: revenue, usage per meter, who is near a limit or at risk, what is owed, and what
 * just happened.
 *
 * @example
 * overviewContent('/dashboard', data)
 */
export function overviewContent(base: string, data: OverviewData): SafeHtml {
  const revenue =
    data.revenue.length === 0
      ? html`<p class="muted">No invoices this period${data.accruing === null ? '' : ' and nothing accruing'}.</p>`
      : data.revenue.map(
          (r) => html`<div><div class="figure">${money(r.finalized, r.currency)}</div>
<div class="muted">${r.currency} finalized · ${money(r.paid, r.currency)} paid</div>
<div><strong data-accruing="${r.currency}">${r.accruing === null ? (data.accruing === null ? 'summing…' : money(0, r.currency)) : money(r.accruing, r.currency)}</strong> <span class="muted">accruing in open periods</span></div></div>`,
        )
  const accruingNote =
    data.accruing === null
      ? html`<p class="muted">Accruing revenue is being summed; reload in a moment.</p>`
      : html`<p class="muted">Accruing: the upcoming invoices of ${quantity(data.accruing.subscriptions)} subscriptions as of ${instant(new Date(data.accruing.asOf).toISOString())}${data.accruing.failed === 0 ? '' : html` (${quantity(data.accruing.failed)} could not be previewed)`}.</p>`
  const count = (rows: readonly unknown[], more: boolean) => `${rows.length}${more ? '+' : ''}`
  const near = data.nearLimit.map(
    (row) =>
      html`<tr><td>${customerLink(base, row.customer_id)}</td><td>${row.meter}</td><td class="num">${quantity(row.used)} / ${quantity(row.limit)}</td><td>${fillBar(row.used, row.limit, `${row.customer_id}:${row.meter}`)}</td></tr>`,
  )
  const top = data.top.map(
    (t) =>
      html`<h3>${t.meter}</h3><ol>${t.customers.map((c) => html`<li>${customerLink(base, c.customer_id)} · ${quantity(c.quantity)}</li>`)}</ol>`,
  )
  const risk = data.atRisk.map(
    (n) =>
      html`<li>${customerLink(base, n.customer_id ?? '')}: ${summary(n)} <span class="muted">(${instant(n.created_at)})</span></li>`,
  )
  const attention = data.invoices.needsAttention.map(
    (n) =>
      html`<li>${customerLink(base, n.customer_id ?? '')}: ${summary(n)} <span class="muted">(${instant(n.created_at)})</span></li>`,
  )
  return html`<h1>Overview</h1>
<p class="muted">This period: ${instant(data.period.from)} – ${instant(data.period.to)}</p>
<div class="grid">
<section class="card" aria-labelledby="revenue"><h2 id="revenue">Revenue</h2>${revenue}${accruingNote}</section>
<section class="card" aria-labelledby="owed"><h2 id="owed">Owed</h2>
<div class="figure">${count(data.invoices.open, data.invoices.openMore)}</div><div class="muted">open invoices · <strong>${count(data.invoices.pastDue, data.invoices.pastDueMore)}</strong> past due · <strong>${data.invoices.needsAttention.length}</strong> need attention</div></section>
<section class="card" aria-labelledby="risk"><h2 id="risk">At risk</h2>${risk.length === 0 ? html`<p class="muted">Nobody.</p>` : html`<ul>${risk}</ul>`}</section>
</div>
<section class="card" aria-labelledby="usage"><h2 id="usage">Usage by hour, all customers, last 7 days</h2>
${data.meters.map((m) => html`<h3>${m.name ?? m.code} <span class="muted">· ${quantity(m.total)} in the last 7 days</span></h3>${usageChart(m.code, `${m.code} by hour`, m.points, null)}`)}</section>
<div class="grid">
<section class="card" aria-labelledby="near"><h2 id="near">At or past 80% of a limit</h2>
${near.length === 0 ? html`<p class="muted">Nobody.</p>` : html`<table><thead><tr><th>customer</th><th>meter</th><th class="num">used</th><th>of the limit</th></tr></thead><tbody>${near}</tbody></table>`}</section>
<section class="card" aria-labelledby="top"><h2 id="top">Top customers, last 24 hours</h2>${top}</section>
</div>
<section class="card" aria-labelledby="pastdue"><h2 id="pastdue">Past due</h2>${invoiceTable(base, data.invoices.pastDue, data.now)}
${attention.length === 0 ? '' : html`<h3>Needing attention</h3><ul>${attention}</ul>`}</section>
<section class="card" aria-labelledby="recent"><h2 id="recent">Recent notifications</h2>${notificationTable(data.notifications)}</section>`
}
