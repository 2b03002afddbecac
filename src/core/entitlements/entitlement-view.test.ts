import { afterEach, describe, expect, it, vi } from 'vitest'
import { memoryStorage } from '../../adapters/memory/index.js'
import { createBilling } from '../billing.js'
import type { AllowanceRecord, AppendOutcome } from '../ports/index.js'
import { EntitlementView } from './entitlement-view.js'

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('the entitlement view', () => {
  afterEach(() => vi.restoreAllMocks())

  it('refreshes only customers checked lately, and drops those neither checked nor ingested for 10 minutes', async () => {
    const storage = memoryStorage()
    let reads = 0
    const read = storage.entitlements.read.bind(storage.entitlements)
    storage.entitlements.read = (keys, at) => {
      reads += keys.length
      return read(keys, at)
    }
    const billing = await createBilling({ storage, entitlements: { refreshMs: 10 } })
    try {
      await billing.meters.create({ code: 'calls', event_name: 'call', aggregation: 'count' })
      await billing.plans.create({
        code: 'capped',
        name: 'Capped',
        currency: 'NGN',
        interval: 'month',
        limits: [{ meter: 'calls', quantity: 100, on_exceed: 'reject' }],
      })
      for (const id of ['ingests', 'checks']) {
        await billing.customers.create({ id })
        await billing.subscriptions.create({ customer_id: id, plan_code: 'capped' })
      }
      const call = (customer_id: string, key: string) => ({
        event_name: 'call',
        customer_id,
        idempotency_key: key,
      })
      await billing.events.ingest({ events: [call('ingests', 'a'), call('checks', 'b')] })
      await billing.entitlements.check({ customer_id: 'checks', meter: 'calls' })
      reads = 0
      await wait(80)
      // Refreshes read the checked customer's allowance only.
      expect(reads).toBeGreaterThan(0)
      const perRefresh = reads
      reads = 0
      await wait(80)
      expect(reads).toBeLessThanOrEqual(perRefresh * 2)
      // Eleven minutes later nothing was used: both are dropped and nothing is read any more.
      const later = Date.now() + 11 * 60_000
      vi.spyOn(Date, 'now').mockImplementation(() => later)
      await wait(40)
      reads = 0
      await wait(80)
      expect(reads).toBe(0)
      // A later check loads the customer again, with what the storage holds.
      expect(await billing.entitlements.check({ customer_id: 'checks', meter: 'calls' })).toMatchObject({
        used: 1,
      })
    } finally {
      await billing.close()
    }
  })

  it("absorbs one transaction's allowances once, however many callers' outcomes carry them", () => {
    const view = new EntitlementView({ refreshMs: 1000, allowWithoutSubscription: false })
    const absorb = vi.spyOn(view, 'absorb')
    const allowance: AllowanceRecord = {
      customer_id: 'cus_1',
      meter: 'calls',
      period_start: 0,
      period_end: 1,
      limit: '10',
      enforce: true,
      granted: '0',
      used: '1',
      reserved: '0',
      next_expiry: null,
      revision: 2,
    }
    // One gathered transaction answers 200 callers: each gets its own outcome, all with one list.
    const written = [allowance]
    const outcome = (): AppendOutcome => ({ status: 'accepted', warnings: [], allowances: written })
    for (let caller = 0; caller < 200; caller++) view.absorbOutcomes([outcome()])
    expect(absorb).toHaveBeenCalledTimes(1)
    // The next transaction's list is a new one: absorbed too.
    view.absorbOutcomes([{ status: 'accepted', warnings: [], allowances: [{ ...allowance, revision: 3 }] }])
    expect(absorb).toHaveBeenCalledTimes(2)
  })
})
