import { describe, expect, it } from 'vitest'
import { memoryStorage } from '../../adapters/memory/index.js'
import { createBilling } from '../billing.js'

describe('the alert sweep in tick', () => {
  it('a customer that cannot be loaded never stops the tick; the next tick sweeps the alert again', async () => {
    const storage = memoryStorage()
    const list = storage.subscriptions.list.bind(storage.subscriptions)
    let broken = true
    storage.subscriptions.list = async (query) => {
      if (broken && query.customer_id === 'cus_bad') throw new Error('connection reset')
      return list(query)
    }
    const warnings: string[] = []
    const logger = {
      debug() {},
      info() {},
      warn: (message: string) => void warnings.push(message),
      error() {},
    }
    const billing = await createBilling({ storage, logger })
    try {
      await billing.meters.create({ code: 'calls', event_name: 'call', aggregation: 'count' })
      await billing.plans.create({ code: 'watched', name: 'Watched', currency: 'NGN', interval: 'month' })
      for (const id of ['cus_bad', 'cus_good']) {
        await billing.customers.create({ id })
        await billing.subscriptions.create({ customer_id: id, plan_code: 'watched' })
        await billing.events.ingest({
          events: [{ event_name: 'call', customer_id: id, idempotency_key: `${id}:1` }],
        })
      }
      await billing.alerts.create({ meter: 'calls', plan_code: 'watched', thresholds: [{ quantity: 1 }] })
      const first = await billing.tick()
      expect(first.alerts_swept).toBe(1)
      expect(warnings).toContain('alert sweep skipped a customer')
      const fired = async () =>
        (await billing.notifications.list({ type: 'usage.threshold_reached' })).data.map((n) => n.customer_id)
      expect(await fired()).toEqual(['cus_good'])
      broken = false
      expect((await billing.tick()).alerts_swept).toBe(2)
      expect(await fired()).toEqual(['cus_good', 'cus_bad'])
      expect((await billing.tick()).alerts_swept).toBe(0)
    } finally {
      await billing.close()
    }
  })
})
