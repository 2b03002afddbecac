// The entitlements workload: the ingest benches' two meters (`calls`, `tokens`), a monthly plan with
// a `reject` limit on each (or the same plan without limits), and customers subscribed to it.
import type { Billing, PlanInput, Storage } from '../src/index.js'
import { createBilling } from '../src/index.js'
import { compare, measureThroughputs, type Result, type Target } from './harness.js'
import { benchMeters, sequence } from './ingest-workload.js'

/**
 * Far above anything a bench run ingests (a run adds at most a few million calls and a few hundred
 * million tokens to one customer), so every event is weighed and none is refused.
 */
export const NEVER_REACHED = '1000000000000'

/**
 * The benches' plan: monthly, no charges, and with `limited` a `reject` limit on both meters.
 * @example await billing.plans.create(entitlementPlan(true))
 */
export function entitlementPlan(limited: boolean): PlanInput {
  return {
    code: limited ? 'limited' : 'open',
    name: limited ? 'Limited' : 'Open',
    currency: 'NGN',
    interval: 'month',
    charges: [],
    ...(limited
      ? {
          limits: benchMeters.map((m) => ({
            meter: m.code,
            quantity: NEVER_REACHED,
            on_exceed: 'reject' as const,
          })),
        }
      : {}),
  }
}

/** The id of customer `i`: the same ids the ingest workload's events name (`cus_0` … `cus_999`). */
export const customerId = (i: number): string => `cus_${i}`

export interface EntitlementStoreOptions {
  /** A `reject` limit on both meters, or the same plan without limits. */
  limited: boolean
  /** Customers `cus_0` … `cus_<n-1>`, each subscribed to the plan. */
  customers: number
  /** How often the view reloads what other processes changed (default 1,000 ms). */
  refreshMs?: number
  /** Alerts on each meter for the plan, each with a quantity threshold never reached (default none). */
  alerts?: number
  log?: (message: string) => void
  /** The billing instance's clock (default the system clock). */
  clock?: () => number
}

/**
 * A billing instance on `storage` with the two meters, the plan, and `customers` subscribed customers.
 * @example const billing = await entitlementStore(sqliteStorage({ filename }), { limited: true, customers: 1000 })
 */
export async function entitlementStore(storage: Storage, opts: EntitlementStoreOptions): Promise<Billing> {
  const billing = await createBilling({
    storage,
    ...(opts.clock === undefined ? {} : { clock: opts.clock }),
    ...(opts.refreshMs === undefined ? {} : { entitlements: { refreshMs: opts.refreshMs } }),
  })
  for (const m of benchMeters) await billing.meters.create(m)
  const plan = entitlementPlan(opts.limited)
  await billing.plans.create(plan)
  for (let a = 0; a < (opts.alerts ?? 0); a++) {
    for (const m of benchMeters) {
      await billing.alerts.create({
        meter: m.code,
        plan_code: plan.code,
        thresholds: [{ quantity: NEVER_REACHED }],
      })
    }
  }
  opts.log?.(`    subscribing ${opts.customers.toLocaleString('en')} customers to ${plan.code}`)
  for (let i = 0; i < opts.customers; i++) {
    await billing.customers.create({ id: customerId(i) })
    await billing.subscriptions.create({ customer_id: customerId(i), plan_code: plan.code })
  }
  return billing
}

/**
 * Batches of 1,000 events into two stores, side by side in the same run (rounds alternate): the row
 * reports the first store against the second.
 * @example return [await batchesSideBySide('sqlite … vs no limits', [limited, open], { minRatio: 0.8 })]
 */
export async function batchesSideBySide(
  name: string,
  [measured, baseline]: readonly [Billing, Billing],
  target?: Target,
): Promise<Result> {
  const [m, b] = [sequence(), sequence()]
  const [value, base] = await measureThroughputs(
    [
      () => measured.events.ingest({ events: m.batch(1000) }),
      () => baseline.events.ingest({ events: b.batch(1000) }),
    ],
    { opsPerCall: 1000, unit: 'events/s', minMs: 1500 },
  )
  return compare(name, value!, base, target)
}
