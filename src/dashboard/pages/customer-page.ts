import type { Alert } from '../../core/alerts/types.js'
import type { Customer } from '../../core/customers/types.js'
import type { Invoice, InvoicePreview } from '../../core/invoices/types.js'
import type { Notification } from '../../core/notifications/types.js'
import type { Payment, PaymentMethod } from '../../core/payments/types.js'
import type { Subscription } from '../../core/subscriptions/types.js'
import { instant, money, quantity } from '../format.js'
import { randomToken } from '../forms.js'
import { html, type SafeHtml } from '../html.js'
import { type ChartPoints, fillBar, invoiceTable, notificationTable, usageChart } from './widgets.js'

/** One meter on a customer's page. */
export interface CustomerMeter {
  code: string
  name: string | null
  /** This period's usage counted against the limit, and the limit (null: none). */
  used: number
  usedText: string
  limit: number | null
  points: ChartPoints
  /** Whether a top-up can be bought (a prepaid block that pauses). */
  topUp: boolean
}

/** What a customer's page shows. */
export interface CustomerData {
  now: number
  customer: Customer
  subscription: Subscription | null
  meters: CustomerMeter[]
  preview: InvoicePreview | null
  invoices: Invoice[]
  payments: Payment[]
  paymentMethods: PaymentMethod[]
  alerts: Alert[]
  alertHistory: Notification[]
}

function actions(base: string, csrf: string, data: CustomerData): SafeHtml {
  const id = encodeURIComponent(data.customer.id)
  const forms: SafeHtml[] = []
  for (const meter of data.meters.filter((m) => m.topUp))
    forms.push(
      html`<form method="post" action="${base}/customers/${id}/top-up"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="meter" value="${meter.code}"><input type="hidden" name="request_id" value="${randomToken()}"><button type="submit">Top up ${meter.code} by one block</button></form>`,
    )
  const open = data.invoices.find((i) => i.status === 'open' && i.amount_due > i.amount_paid)
  if (open !== undefined)
    forms.push(
      html`<form method="post" action="${base}/customers/${id}/checkout"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="invoice_id" value="${open.id}"><button type="submit">Send a checkout link for ${open.number ?? open.id}</button></form>`,
    )
  const sub = data.subscription
  if (sub !== null && sub.status !== 'canceled' && !sub.cancel_at_period_end)
    forms.push(
      html`<form method="post" action="${base}/customers/${id}/cancel"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="subscription_id" value="${sub.id}"><button class="secondary" type="submit">Cancel at period end</button></form>`,
    )
  return forms.length === 0
    ? html`<p class="muted">Nothing to do.</p>`
    : html`<div class="grid">${forms}</div>`
}

/**
 * A customer's page: usage by hour against each limit, the running charge, invoices, payments,
 * payment methods, alerts with their history, the subscription and what an operator can do.
 *
 * @example
 * customerContent('/dashboard', csrf, data)
 */
export function customerContent(base: string, csrf: string, data: CustomerData): SafeHtml {
  const { customer, subscription: sub, preview } = data
  const meters = data.meters.map(
    (
      m,
    ) => html`<section class="card" aria-labelledby="m-${m.code}"><h2 id="m-${m.code}">${m.name ?? m.code}</h2>
<p><span class="figure" data-live-usage="${m.code}">${m.usedText}</span> this period ${m.limit === null ? '' : html`of ${quantity(m.limit)}`} · ${fillBar(m.used, m.limit, m.code)}</p>
${usageChart(m.code, `${m.code} by hour`, m.points, m.limit)}</section>`,
  )
  const payments = data.payments.map(
    (p) =>
      html`<tr><td>${instant(p.created_at)}</td><td>${p.gateway}</td><td>${p.status}</td><td class="num">${money(p.amount, p.currency)}</td><td>${p.failure_message ?? ''}</td></tr>`,
  )
  const methods = data.paymentMethods.map(
    (m) => html`<li>${m.gateway} · ${m.card === null ? 'account' : `${m.card.brand} ••${m.card.last4}`}</li>`,
  )
  const alerts = data.alerts.map(
    (a) =>
      html`<li>${a.meter}: ${a.thresholds
        .map((t) =>
          Object.entries(t)
            .map(([k, v]) => `${k} ${String(v)}`)
            .join(''),
        )
        .join(', ')}</li>`,
  )
  return html`<h1>${customer.name ?? customer.id} <span class="muted">${customer.id}</span></h1>
<p class="muted">${customer.email ?? 'no email'} · ${sub === null ? 'no subscription' : html`plan ${sub.plan_code} v${sub.plan_version} · <span class="badge">${sub.status}</span>${sub.cancel_at_period_end ? ' · cancels at period end' : ''} · period ${instant(sub.current_period_start)} – ${instant(sub.current_period_end)}`}</p>
<div class="grid">
<section class="card" aria-labelledby="running"><h2 id="running">Running charge</h2>
${preview === null ? html`<p class="muted">No open period.</p>` : html`<div class="figure">${money(preview.total, preview.currency)}</div><div class="muted">if the period closed now</div>`}</section>
<section class="card" aria-labelledby="actions"><h2 id="actions">Actions</h2>${actions(base, csrf, data)}</section>
</div>
${meters}
<section class="card" aria-labelledby="invoices"><h2 id="invoices">Invoices</h2>${invoiceTable(base, data.invoices, data.now)}</section>
<div class="grid">
<section class="card" aria-labelledby="payments"><h2 id="payments">Payments</h2>${payments.length === 0 ? html`<p class="muted">None.</p>` : html`<table><thead><tr><th>when</th><th>gateway</th><th>status</th><th class="num">amount</th><th>note</th></tr></thead><tbody>${payments}</tbody></table>`}</section>
<section class="card" aria-labelledby="methods"><h2 id="methods">Payment methods</h2>${methods.length === 0 ? html`<p class="muted">None.</p>` : html`<ul>${methods}</ul>`}</section>
<section class="card" aria-labelledby="alerts"><h2 id="alerts">Alerts</h2>${alerts.length === 0 ? html`<p class="muted">None.</p>` : html`<ul>${alerts}</ul>`}</section>
</div>
<section class="card" aria-labelledby="history"><h2 id="history">Alert history and recent notifications</h2>${notificationTable(data.alertHistory)}</section>`
}
