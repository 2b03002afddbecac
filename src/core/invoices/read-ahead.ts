import { planWindow } from '../meters/buckets.js'
import type { Meter } from '../meters/types.js'
import { chargeMeterCode } from '../plans/charge-meters.js'
import { boundaryAt } from '../subscriptions/schedule.js'
import type { SubscriptionRecord } from '../subscriptions/types.js'
import { planFor } from './compute-invoice.js'
import type { InvoiceSources } from './sources.js'

interface UsageGroup {
  meter: Meter
  fromBucket: number
  toBucket: number
  customers: Set<string>
}

// The meters and whole buckets the invoice at a subscription's next boundary will read, or null
// when it reads none. Whatever fails here (an unknown plan or meter) fails again, the same way,
// when the invoice is computed, where it is reported: here it only means nothing is read ahead.
async function usageOf(
  sources: InvoiceSources,
  sub: SubscriptionRecord,
): Promise<{ meters: Meter[]; fromBucket: number; toBucket: number } | null> {
  const at = sub.next_invoice_at
  if (at === null) return null
  try {
    const usage = boundaryAt(sub, at).usage
    if (usage === null) return null
    const buckets = planWindow(usage.start, at).buckets
    if (buckets === null) return null
    const plan = await planFor(sources, usage)
    const meters = await Promise.all(plan.charges.map((charge) => sources.meter(chargeMeterCode(charge))))
    return { meters, ...buckets }
  } catch {
    return null
  }
}

/**
 * Reads what a batch of subscriptions' next invoices need from storage ahead of computing them:
 * their customers in one query, and each meter's whole-hour usage in one query per meter and window
 * (all customers of the batch at once), instead of a few reads per subscription. The invoices are
 * then computed from `sources` exactly as without it; call `sources.forgetUsage()` after the batch.
 *
 * @example
 * await readAhead(sources, batch)
 * try { await mapLimited(batch, compute) } finally { sources.forgetUsage() }
 */
export async function readAhead(sources: InvoiceSources, subs: readonly SubscriptionRecord[]): Promise<void> {
  const groups = new Map<string, UsageGroup>()
  for (const sub of subs) {
    const usage = await usageOf(sources, sub)
    if (usage === null) continue
    for (const meter of usage.meters) {
      const key = `${meter.code}\u0000${usage.fromBucket}\u0000${usage.toBucket}`
      let group = groups.get(key)
      if (group === undefined) {
        group = { meter, fromBucket: usage.fromBucket, toBucket: usage.toBucket, customers: new Set() }
        groups.set(key, group)
      }
      group.customers.add(sub.customer_id)
    }
  }
  await Promise.all([
    sources.readCustomers(subs.map((sub) => sub.customer_id)),
    ...[...groups.values()].map((group) =>
      sources.readAhead({
        meter: group.meter.code,
        customer_ids: [...group.customers],
        fromBucket: group.fromBucket,
        toBucket: group.toBucket,
        aggregation: group.meter.aggregation,
      }),
    ),
  ])
}
