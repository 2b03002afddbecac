import type { Billing } from '../../core/billing.js'
import type { AccruingRevenue } from '../accruing-revenue.js'
import type { OverviewData } from '../pages/overview-page.js'
import type { RecentReads } from '../recent-reads.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** The UTC calendar month around `now`: the overview's "this period". */
function monthOf(now: number): { from: number; to: number } {
  const d = new Date(now)
  return {
    from: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1),
    to: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1),
  }
}

/**
 * Everything the overview shows, read through the public API with bounded queries: revenue
 * finalized this month by currency, each meter's usage by hour over the last 7 days (all
 * customers) and its top customers over the last 24 hours, the allowances at or past 80%, the
 * latest at-risk and needs-attention notifications, open and past-due invoices, and the latest
 * notifications. With `reads`, the reads across all customers (revenue, allowances near their
 * limit, open invoices, and above all the usage series and top customers, which scan every
 * customer's rollups) are shared with the other overviews loaded within its few seconds, keyed by
 * the hour of `now` so a new hour reads afresh; the live stream keeps the current hour current.
 * Notifications are always read fresh: they are cheap, and the newest matter most.
 *
 * @example
 * const data = await overviewData(billing, Date.now(), new RecentReads(5_000))
 */
export async function overviewData(
  billing: Billing,
  now: number,
  reads?: RecentReads,
  accruing?: AccruingRevenue,
): Promise<OverviewData> {
  const hour = Math.floor(now / HOUR)
  const shared = <T>(key: string, read: () => Promise<T>) =>
    reads === undefined ? read() : reads.get(`${key}:${hour}`, read)
  const month = monthOf(now)
  const [accrued, totals, meters, near, atRisk, attention, open, pastDue, recent] = await Promise.all([
    accruing === undefined ? null : accruing.latest(),
    shared('totals', () => billing.invoices.totals({ from: month.from, to: month.to })),
    billing.meters.list(),
    shared('near', () => billing.entitlements.nearLimit({ ratio: 0.8, limit: 20 })),
    billing.notifications.list({ type: 'customer.at_risk', order: 'desc', limit: 10 }),
    billing.notifications.list({ type: 'invoice.needs_attention', order: 'desc', limit: 10 }),
    shared('open', () => billing.invoices.list({ status: 'open', limit: 100 })),
    shared('pastDue', () => billing.invoices.list({ past_due: true, limit: 100 })),
    billing.notifications.list({ order: 'desc', limit: 20 }),
  ])
  const revenue = new Map<string, OverviewData['revenue'][number]>()
  const rowOf = (currency: string) => {
    const row = revenue.get(currency) ?? { currency, finalized: 0n, paid: 0n, accruing: null }
    revenue.set(currency, row)
    return row
  }
  for (const t of totals) {
    const row = rowOf(t.currency)
    row.finalized += BigInt(t.total)
    if (t.status === 'paid') row.paid += BigInt(t.total)
  }
  for (const [currency, amount] of accrued?.byCurrency ?? []) rowOf(currency).accruing = amount
  const additive = meters.filter((m) => m.aggregation === 'count' || m.aggregation === 'sum')
  const [series, top] = await Promise.all([
    Promise.all(
      meters.map((m) =>
        shared(`series:${m.code}`, () =>
          billing.usage.series({ meter: m.code, from: now - 7 * DAY, to: now + 1 }),
        ),
      ),
    ),
    Promise.all(
      additive.map((m) =>
        shared(`top:${m.code}`, () =>
          billing.usage.top({ meter: m.code, from: now - DAY, to: now + 1, limit: 5 }),
        ),
      ),
    ),
  ])
  return {
    now,
    period: { from: new Date(month.from).toISOString(), to: new Date(month.to).toISOString() },
    revenue: [...revenue.values()].sort((a, b) =>
      a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0,
    ),
    accruing:
      accrued === null
        ? null
        : { asOf: accrued.asOf, subscriptions: accrued.subscriptions, failed: accrued.failed },
    meters: meters.map((m, i) => ({
      code: m.code,
      name: m.name,
      points: [
        (series[i]?.points ?? []).map((p) => Date.parse(p.hour) / 1000),
        (series[i]?.points ?? []).map((p) => p.quantity),
      ],
      total: String((series[i]?.points ?? []).reduce((sum, p) => sum + p.quantity, 0)),
    })),
    nearLimit: near.data.map((a) => ({
      customer_id: a.customer_id,
      meter: a.meter,
      used: Number(a.used) + Number(a.reserved),
      limit: Number(a.limit) + Number(a.granted),
    })),
    top: top.map((t) => ({
      meter: t.meter,
      customers: t.data.map((c) => ({ customer_id: c.customer_id, quantity: c.precise_quantity })),
    })),
    atRisk: atRisk.data,
    invoices: {
      open: open.data,
      openMore: open.has_more,
      pastDue: pastDue.data,
      pastDueMore: pastDue.has_more,
      needsAttention: attention.data,
    },
    notifications: recent.data,
  }
}
