import type { Billing } from '../../core/billing.js'
import { BillingError } from '../../core/errors.js'
import type { InvoicePreview } from '../../core/invoices/types.js'
import type { Plan } from '../../core/plans/types.js'
import type { Subscription } from '../../core/subscriptions/types.js'
import { quantity } from '../format.js'
import type { CustomerData, CustomerMeter } from '../pages/customer-page.js'
import type { ChartPoints } from '../pages/widgets.js'

const HOUR = 3_600_000

/** The subscription a customer's pages show: the first that has not ended. */
export async function currentSubscription(
  billing: Billing,
  customer_id: string,
): Promise<Subscription | null> {
  const { data } = await billing.subscriptions.list({ customer_id, limit: 20 })
  return data.find((s) => s.ended_at === null) ?? data[0] ?? null
}

/** Whether a plan sells blocks of a meter that pause when used up: those can be topped up. */
function topsUp(plan: Plan | null, meter: string): boolean {
  return (
    plan?.charges.some(
      (c) =>
        c.meter === meter &&
        c.model === 'prepaid_block' &&
        (c as { on_depletion?: string }).on_depletion !== 'overage',
    ) ?? false
  )
}

/**
 * The meters of a customer's plan with this period's usage against their limits and the usage by
 * hour since the period started (at most `hoursBack` hours, default 31 days).
 *
 * @example
 * const meters = await customerMeters(billing, 'cus_1', subscription, Date.now())
 */
export async function customerMeters(
  billing: Billing,
  customer_id: string,
  sub: Subscription | null,
  now: number,
  window: { hoursBack: number } = { hoursBack: 31 * 24 },
): Promise<CustomerMeter[]> {
  const plan = sub === null ? null : await billing.plans.get(sub.plan_code, sub.plan_version)
  const codes = [
    ...new Set([...(plan?.charges ?? []).map((c) => c.meter), ...(plan?.limits ?? []).map((l) => l.meter)]),
  ]
  const start = sub === null ? now - 30 * 24 * HOUR : Date.parse(sub.current_period_start)
  const from = Math.max(start, now - window.hoursBack * HOUR)
  const all = await billing.meters.list()
  return Promise.all(
    codes.map(async (code): Promise<CustomerMeter> => {
      const meter = all.find((m) => m.code === code)
      const [usage, check, series] = await Promise.all([
        billing.usage.get({ customer_id, meter: code, from: start, to: now + 1 }),
        meter?.aggregation === 'count' || meter?.aggregation === 'sum'
          ? billing.entitlements.check({ customer_id, meter: code }).catch(() => null)
          : Promise.resolve(null),
        billing.usage.series({ meter: code, customer_id, from, to: now + 1 }),
      ])
      const points: ChartPoints = [
        series.points.map((p) => Date.parse(p.hour) / 1000),
        series.points.map((p) => p.quantity),
      ]
      return {
        code,
        name: meter?.name ?? null,
        used: check?.used ?? usage.quantity,
        usedText: quantity(usage.precise_quantity),
        limit: check?.limit ?? null,
        points,
        topUp: topsUp(plan, code),
      }
    }),
  )
}

/** The preview of the open period, or null when there is none to show. */
export async function previewOrNull(billing: Billing, customer_id: string): Promise<InvoicePreview | null> {
  try {
    return await billing.invoices.preview({ customer_id })
  } catch (error) {
    if (error instanceof BillingError && error.code !== 'STORAGE_UNAVAILABLE') return null
    throw error
  }
}

/**
 * Everything a customer's page shows, read through the public API.
 *
 * @example
 * const data = await customerData(billing, 'cus_1', Date.now())
 */
export async function customerData(
  billing: Billing,
  customer_id: string,
  now: number,
): Promise<CustomerData> {
  const customer = await billing.customers.get(customer_id)
  const subscription = await currentSubscription(billing, customer_id)
  const [meters, preview, invoices, payments, paymentMethods, alerts, history] = await Promise.all([
    customerMeters(billing, customer_id, subscription, now),
    previewOrNull(billing, customer_id),
    billing.invoices.list({ customer_id, limit: 20 }),
    billing.payments.list({ customer_id, limit: 20 }),
    billing.paymentMethods.list({ customer_id }),
    billing.alerts.list(),
    billing.notifications.list({ customer_id, order: 'desc', limit: 20 }),
  ])
  return {
    now,
    customer,
    subscription,
    meters,
    preview,
    invoices: invoices.data,
    payments: payments.data,
    paymentMethods,
    alerts: alerts.filter(
      (a) =>
        (a.customer_id === undefined || a.customer_id === null || a.customer_id === customer_id) &&
        (a.plan_code === undefined || a.plan_code === null || a.plan_code === subscription?.plan_code),
    ),
    alertHistory: history.data,
  }
}
