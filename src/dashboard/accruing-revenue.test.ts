import { describe, expect, it } from 'vitest'
import { memoryStorage } from '../adapters/memory/index.js'
import { type Billing, createBilling } from '../core/billing.js'
import { silentLogger } from '../core/logger.js'
import { AccruingRevenue } from './accruing-revenue.js'

const DAY = 86_400_000
const START = Date.UTC(2027, 0, 1)

/** Five NGN subscribers and one USD one on per-call plans, five days into their month. */
async function billingWithSubscribers(clock: { now: number }): Promise<Billing> {
  const billing = await createBilling({ storage: memoryStorage(), clock: () => clock.now })
  await billing.meters.create({ code: 'calls', event_name: 'call', aggregation: 'count' })
  for (const currency of ['NGN', 'USD'])
    await billing.plans.create({
      code: `calls_${currency}`,
      name: currency,
      currency,
      interval: 'month',
      fixed_amount: '1000',
      charges: [{ meter: 'calls', model: 'per_unit', unit_amount: '7' }],
    })
  const customers = ['a', 'b', 'c', 'd', 'e', 'f']
  for (const [i, id] of customers.entries()) {
    await billing.customers.create({ id })
    await billing.subscriptions.create({
      customer_id: id,
      plan_code: id === 'f' ? 'calls_USD' : 'calls_NGN',
      start_at: new Date(START).toISOString(),
    })
    await billing.events.ingest({
      events: Array.from({ length: i + 1 }, (_, n) => ({
        event_name: 'call',
        customer_id: id,
        idempotency_key: `${id}-${n}`,
        timestamp: START + DAY,
      })),
    })
  }
  return billing
}

async function previewTotals(billing: Billing): Promise<Map<string, bigint>> {
  const sums = new Map<string, bigint>()
  for (const sub of (await billing.subscriptions.list({ limit: 100 })).data) {
    if (sub.status === 'canceled') continue
    const upcoming = await billing.invoices.preview({ customer_id: sub.customer_id, subscription_id: sub.id })
    sums.set(upcoming.currency, (sums.get(upcoming.currency) ?? 0n) + BigInt(upcoming.total))
  }
  return sums
}

describe('accruing revenue', () => {
  it('sums every live subscription upcoming invoice per currency, a page at a time', async () => {
    const clock = { now: START + 5 * DAY }
    const billing = await billingWithSubscribers(clock)
    const accruing = new AccruingRevenue(billing, { pageSize: 2, now: () => clock.now, logger: silentLogger })
    const snapshot = await accruing.latest()
    expect(snapshot).not.toBeNull()
    expect(snapshot?.byCurrency).toEqual(await previewTotals(billing))
    expect(snapshot?.subscriptions).toBe(6)
    expect(snapshot?.failed).toBe(0)
    expect(snapshot?.asOf).toBe(clock.now)
    await billing.close()
  })

  it('leaves canceled subscriptions out', async () => {
    const clock = { now: START + 5 * DAY }
    const billing = await billingWithSubscribers(clock)
    const sub = (await billing.subscriptions.list({ customer_id: 'a' })).data[0]!
    await billing.subscriptions.cancel(sub.id)
    await billing.invoices.run()
    const snapshot = await new AccruingRevenue(billing, {
      now: () => clock.now,
      logger: silentLogger,
    }).latest()
    expect(snapshot?.subscriptions).toBe(5)
    expect(snapshot?.byCurrency).toEqual(await previewTotals(billing))
    await billing.close()
  })

  it('answers the last snapshot until it is refreshMs old, then refreshes it in the background', async () => {
    const clock = { now: START + 5 * DAY }
    const billing = await billingWithSubscribers(clock)
    const accruing = new AccruingRevenue(billing, {
      refreshMs: 60_000,
      now: () => clock.now,
      logger: silentLogger,
    })
    const first = await accruing.latest()
    await billing.events.ingest({
      events: [
        { event_name: 'call', customer_id: 'a', idempotency_key: 'later', timestamp: START + 2 * DAY },
      ],
    })
    clock.now += 59_999
    expect(await accruing.latest()).toBe(first)
    clock.now += 1
    // Stale: this ask still answers the old snapshot and starts a pass; a later ask sees the new one.
    expect(await accruing.latest()).toBe(first)
    await expect.poll(async () => (await accruing.latest())?.asOf).toBe(clock.now)
    const second = await accruing.latest()
    expect(second?.byCurrency.get('NGN')).toBe((first?.byCurrency.get('NGN') ?? 0n) + 7n)
    accruing.close()
    await billing.close()
  })

  it('does not wait past firstWaitMs for a slow first pass, and keeps going after a failed read', async () => {
    const clock = { now: START + 5 * DAY }
    const billing = await billingWithSubscribers(clock)
    let calls = 0
    const slow: Billing = {
      ...billing,
      subscriptions: {
        ...billing.subscriptions,
        list: async (query) => {
          calls++
          if (calls === 1) throw new Error('database unavailable')
          await new Promise((resolve) => setTimeout(resolve, 200))
          return billing.subscriptions.list(query)
        },
      },
    }
    const errors: string[] = []
    const logger = { ...silentLogger, error: (message: string) => errors.push(message) }
    const accruing = new AccruingRevenue(slow, { firstWaitMs: 20, now: () => clock.now, logger })
    expect(await accruing.latest()).toBeNull()
    expect(errors).toEqual(['dashboard: accruing revenue could not be read'])
    expect(await accruing.latest()).toBeNull() // the retry is slower than firstWaitMs
    await expect.poll(() => accruing.latest(), { timeout: 5_000 }).not.toBeNull()
    expect((await accruing.latest())?.byCurrency).toEqual(await previewTotals(billing))
    await billing.close()
  })

  it('lets other work run between previews, even when storage answers synchronously', async () => {
    const clock = { now: START + 5 * DAY }
    const billing = await billingWithSubscribers(clock)
    let previews = 0
    const counting: Billing = {
      ...billing,
      invoices: {
        ...billing.invoices,
        preview: async (query) => {
          const upcoming = await billing.invoices.preview(query)
          previews++
          return upcoming
        },
      },
    }
    const accruing = new AccruingRevenue(counting, {
      firstWaitMs: 0,
      now: () => clock.now,
      logger: silentLogger,
    })
    const seen = new Promise<number>((resolve) => setImmediate(() => resolve(previews)))
    await accruing.latest()
    expect(await seen).toBeLessThanOrEqual(1)
    await expect.poll(() => accruing.latest()).not.toBeNull()
    expect(previews).toBe(6)
    await billing.close()
  })
})
