import type { BillingContext } from '../context.js'
import { loadCustomerEntry } from '../entitlements/customer-entry.js'
import { planAllowances } from '../entitlements/plan-allowances.js'
import { ErrorCode, NotFoundError, ValidationError } from '../errors.js'
import { newId } from '../ids.js'
import { errorName } from '../logger.js'
import { getMeter } from '../meters/meters-service.js'
import { getPlan } from '../plans/plans-service.js'
import type { AlertRecord } from '../ports/index.js'
import { statusAt } from '../subscriptions/subscription-view.js'
import { isLookupKey } from '../text.js'
import { isoTime } from '../time/iso-time.js'
import { parseCreateAlert } from './alert-input.js'
import type { Alert, CreateAlertInput } from './types.js'

const toAlert = (record: AlertRecord): Alert => ({
  id: record.id,
  meter: record.meter,
  plan_code: record.plan_code,
  customer_id: record.customer_id,
  thresholds: record.thresholds,
  created_at: isoTime(record.created_at),
})

/**
 * `billing.alerts.create`: watches a `count` or `sum` meter for every customer the alert covers
 * (a plan's, one customer, or all). Each threshold fires `usage.threshold_reached` once per
 * customer and period, written in the transaction that stores the crossing event. A `percent`
 * threshold needs a limit: on a plan that sets none for the meter it is refused.
 *
 * @example
 * await createAlert(ctx, { meter: 'api_calls', plan_code: 'starter', thresholds: [{ percent: 80 }, { percent: 100 }] })
 */
export async function createAlert(ctx: BillingContext, input: CreateAlertInput): Promise<Alert> {
  const parsed = parseCreateAlert(input)
  const meter = await getMeter(ctx, parsed.meter)
  if (meter.aggregation !== 'count' && meter.aggregation !== 'sum') {
    throw new ValidationError(
      ErrorCode.INVALID_ALERT,
      `meter: an alert watches a period's total, so its meter must be a count or sum meter (${meter.code} is ${meter.aggregation})`,
      { path: 'meter' },
    )
  }
  if (parsed.plan_code !== undefined) {
    const plan = await getPlan(ctx, parsed.plan_code)
    const percent = parsed.thresholds.findIndex((t) => 'percent' in t)
    if (percent >= 0 && planAllowances(plan).get(meter.code) === undefined) {
      throw new ValidationError(
        ErrorCode.INVALID_ALERT,
        `thresholds[${percent}]: plan ${plan.code} sets no limit on ${meter.code}, so a percentage of it never fires; use { quantity } or { amount }`,
        { path: `thresholds[${percent}]` },
      )
    }
  }
  if (parsed.customer_id !== undefined && (await ctx.storage.customers.get(parsed.customer_id)) === null) {
    throw new NotFoundError(`customer ${parsed.customer_id} does not exist`, {
      id: parsed.customer_id,
      resource: 'customer',
    })
  }
  const now = ctx.now()
  const record: AlertRecord = {
    id: newId('alr', now),
    meter: meter.code,
    plan_code: parsed.plan_code ?? null,
    customer_id: parsed.customer_id ?? null,
    thresholds: parsed.thresholds,
    created_at: now,
    swept_at: null,
  }
  await ctx.storage.alerts.insert(record)
  ctx.entitlements.alertsChanged()
  return toAlert(record)
}

/**
 * `billing.alerts.list`: every alert, oldest first.
 *
 * @example
 * const alerts = await listAlerts(ctx)
 */
export async function listAlerts(ctx: BillingContext): Promise<Alert[]> {
  return (await ctx.storage.alerts.list()).map(toAlert)
}

/**
 * `billing.alerts.get`: one alert, or `NotFoundError`.
 *
 * @example
 * const alert = await getAlert(ctx, 'alr_…')
 */
export async function getAlert(ctx: BillingContext, id: string): Promise<Alert> {
  const found = isLookupKey(id) ? (await ctx.storage.alerts.list()).find((a) => a.id === id) : undefined
  if (found === undefined) throw new NotFoundError(`alert ${id} does not exist`, { id, resource: 'alert' })
  return toAlert(found)
}

/**
 * `billing.alerts.delete`: stops an alert; thresholds it already fired stay in the outbox. Allowances
 * drop its thresholds the next time a process loads their customer. `NotFoundError` when unknown.
 *
 * @example
 * await deleteAlert(ctx, 'alr_…') // { id: 'alr_…', deleted: true }
 */
export async function deleteAlert(ctx: BillingContext, id: string): Promise<{ id: string; deleted: true }> {
  if (!isLookupKey(id) || !(await ctx.storage.alerts.remove(id))) {
    throw new NotFoundError(`alert ${id} does not exist`, { id, resource: 'alert' })
  }
  ctx.entitlements.alertsChanged()
  return { id, deleted: true }
}

const PAGE = 200

/**
 * The tick step for alerts created since the last sweep: every customer an alert covers (with a
 * subscription not ended) is loaded once, which opens or watches its allowances and fires, in that
 * transaction, the thresholds already passed. Then the alert is marked swept, unless a customer
 * could not be loaded (logged; the next tick sweeps again). Answers how many customers were loaded.
 *
 * @example
 * const customers = await sweepAlerts(ctx, Date.now())
 */
export async function sweepAlerts(ctx: BillingContext, now: number): Promise<number> {
  const alerts = await ctx.storage.alerts.list()
  const fresh = alerts.filter((a) => a.swept_at === null)
  if (fresh.length === 0) return 0
  const customers = new Set<string>()
  const everyone = fresh.some((a) => a.customer_id === null)
  for (const alert of fresh) if (alert.customer_id !== null) customers.add(alert.customer_id)
  if (everyone) {
    const plans = new Set(fresh.filter((a) => a.customer_id === null).map((a) => a.plan_code))
    for (let after: string | undefined; ; ) {
      const page = await ctx.storage.subscriptions.list({ limit: PAGE, ...(after ? { after } : {}) })
      for (const sub of page) {
        if (statusAt(sub, now) === 'canceled') continue
        if (plans.has(null) || sub.phases.some((p) => plans.has(p.plan_code))) customers.add(sub.customer_id)
      }
      if (page.length < PAGE) break
      after = page[page.length - 1]!.id
    }
  }
  let failed = 0
  for (const customer of customers) {
    try {
      await loadCustomerEntry(ctx, customer, alerts)
    } catch (error) {
      // One customer that cannot be loaded never stops the others; the next tick sweeps again.
      failed++
      ctx.logger.warn('alert sweep skipped a customer', { customer_id: customer, error: errorName(error) })
    }
    ctx.entitlements.forget(customer)
  }
  if (failed === 0) for (const alert of fresh) await ctx.storage.alerts.markSwept(alert.id, now)
  return customers.size - failed
}
