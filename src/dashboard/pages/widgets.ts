import type { Invoice } from '../../core/invoices/types.js'
import type { Notification } from '../../core/notifications/types.js'
import { instant, money, percent, quantity } from '../format.js'
import { html, jsonText, type SafeHtml } from '../html.js'

/** Hourly points as uPlot reads them: `[[epoch seconds…], [quantities…]]`. */
export type ChartPoints = [number[], number[]]

/**
 * A usage chart: the points and the limit travel in data attributes; the page's script draws them.
 *
 * @example
 * usageChart('api_calls', 'API calls by hour', points, 10_000)
 */
export function usageChart(id: string, label: string, points: ChartPoints, limit: number | null): SafeHtml {
  const table = points[0]
    .slice(-24)
    .map(
      (t, i, all) =>
        html`<tr><td>${new Date(t * 1000).toISOString().slice(0, 13)}:00Z</td><td class="num">${quantity(points[1][points[0].length - all.length + i] ?? 0)}</td></tr>`,
    )
  return html`<figure>
<div class="chart" data-chart="${id}" data-label="${label}" data-points="${jsonText(points)}" ${limit === null ? '' : html`data-limit="${limit}"`} role="img" aria-label="${label}${limit === null ? '' : `, limit ${quantity(limit)}`}"></div>
<details><summary>${label}: the last 24 hours as a table</summary><table><thead><tr><th>hour (UTC)</th><th class="num">quantity</th></tr></thead><tbody>${table}</tbody></table></details>
</figure>`
}

/**
 * How far into a limit a customer is: a bar and the percentage, flagged from 80%.
 *
 * @example
 * fillBar(8_500, 10_000, 'api_calls')
 */
export function fillBar(used: number, limit: number | null, meter: string): SafeHtml {
  const share = percent(used, limit)
  if (share === null) return html`<span class="muted">no limit</span>`
  const level = share >= 100 ? 'bad' : share >= 80 ? 'warn' : 'ok'
  return html`<progress class="${level}" max="100" value="${Math.min(share, 100)}" aria-label="${meter}: ${share}% of the limit"></progress>
<span data-live-fill="${meter}">${share}%</span> ${share >= 80 ? html`<span class="badge ${level}">${share >= 100 ? 'at limit' : 'near limit'}</span>` : ''}`
}

const STATUS_LEVEL: Record<string, string> = {
  paid: 'ok',
  open: 'warn',
  uncollectible: 'bad',
  void: '',
  draft: '',
}

/**
 * A table of invoices linking to their pages.
 *
 * @example
 * invoiceTable('/dashboard', invoices, now)
 */
export function invoiceTable(base: string, invoices: readonly Invoice[], now: number): SafeHtml {
  if (invoices.length === 0) return html`<p class="muted">None.</p>`
  const rows = invoices.map((invoice) => {
    const pastDue = invoice.status === 'open' && invoice.due_at !== null && Date.parse(invoice.due_at) < now
    return html`<tr>
<td><a href="${base}/invoices/${encodeURIComponent(invoice.id)}">${invoice.number ?? invoice.id}</a></td>
<td><a href="${base}/customers/${encodeURIComponent(invoice.customer_id)}">${invoice.customer_id}</a></td>
<td><span class="badge ${STATUS_LEVEL[invoice.status] ?? ''}">${invoice.status}</span> ${pastDue ? html`<span class="badge bad">past due</span>` : ''}</td>
<td>${instant(invoice.period_start).slice(0, 11)} – ${instant(invoice.period_end).slice(0, 11)}</td>
<td class="num">${money(invoice.total, invoice.currency)}</td>
<td class="num">${money(invoice.amount_due - invoice.amount_paid, invoice.currency)}</td>
</tr>`
  })
  return html`<table><thead><tr><th>invoice</th><th>customer</th><th>status</th><th>period</th><th class="num">total</th><th class="num">owed</th></tr></thead><tbody>${rows}</tbody></table>`
}

/**
 * What a notification says, in a few words, for lists.
 *
 * @example
 * summary({ type: 'usage.threshold_reached', data: { meter: 'api_calls', threshold: { percent: 80 } } })
 */
export function summary(notification: Pick<Notification, 'type' | 'data'>): string {
  const data = notification.data as Record<string, unknown>
  const parts: string[] = []
  for (const key of ['meter', 'reason', 'number', 'invoice_id', 'amount_due', 'status'])
    if (typeof data[key] === 'string' || typeof data[key] === 'number')
      parts.push(`${key} ${String(data[key])}`)
  const threshold = data.threshold as Record<string, unknown> | undefined
  if (threshold !== undefined && typeof threshold === 'object')
    for (const [key, value] of Object.entries(threshold)) parts.push(`${key} ${String(value)}`)
  return parts.join(', ')
}

/**
 * Recent notifications, newest first; the live stream adds rows on top.
 *
 * @example
 * notificationTable(notifications)
 */
export function notificationTable(notifications: readonly Notification[]): SafeHtml {
  const rows = notifications.map(
    (n) =>
      html`<tr><td>${instant(n.created_at)}</td><td>${n.type}</td><td>${n.customer_id ?? ''}</td><td>${summary(n)}</td></tr>`,
  )
  return html`<table><thead><tr><th>when</th><th>type</th><th>customer</th><th>what</th></tr></thead><tbody data-live-notifications>${rows}</tbody></table>`
}
