import { describe, expect } from 'vitest'
import type { EventInput } from '../../core/events/types.js'
import { billingFixture } from './billing-fixtures.js'
import { type ConformanceContext, SUITE_NOW, suiteEvent } from './context.js'

/**
 * Strings compare byte for byte: keys, ids and values that differ only by trailing spaces are
 * different (a PAD SPACE collation would merge them).
 */
export function exactStringTests(t: ConformanceContext): void {
  const { it } = t
  describe('strings compare byte for byte', () => {
    const event = (ns: string, key: string, extra: Partial<EventInput> = {}) => suiteEvent(ns, key, extra)
    const calls = async (ns: string) => {
      await t.billing().meters.create({ code: `${ns}calls`, event_name: `${ns}call`, aggregation: 'count' })
      return `${ns}calls`
    }
    const usage = async (customer_id: string, meter: string) =>
      (await t.billing().usage.get({ customer_id, meter, from: SUITE_NOW - 3_600_000, to: SUITE_NOW }))
        .precise_quantity

    it('keeps idempotency keys that differ by a trailing space apart, across calls', async () => {
      const ns = t.unique('padkey')
      const meter = await calls(ns)
      expect((await t.billing().events.ingest({ events: [event(ns, 'k1')] })).results[0]?.status).toBe(
        'accepted',
      )
      const second = await t.billing().events.ingest({ events: [event(ns, 'k1 ')] })
      expect(second.results[0]?.status).toBe('accepted')
      const replay = await t.billing().events.ingest({ events: [event(ns, 'k1 '), event(ns, 'k1 ')] })
      expect(replay.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate'])
      expect(await usage(`${ns}cus`, meter)).toBe('2')
      const keys = (await t.billing().events.list({ customer_id: `${ns}cus` })).data.map(
        (e) => e.idempotency_key,
      )
      expect(keys.sort()).toEqual([`${ns}k1`, `${ns}k1 `])
    })

    it('keeps idempotency keys that differ by a trailing space apart inside one batch', async () => {
      const ns = t.unique('padbatch')
      const meter = await calls(ns)
      const r = await t.billing().events.ingest({ events: [event(ns, 'k2'), event(ns, 'k2 ')] })
      expect(r.results.map((x) => x.status)).toEqual(['accepted', 'accepted'])
      expect(await usage(`${ns}cus`, meter)).toBe('2')
    })

    it('meters, lists and invoices customers whose ids differ by a trailing space separately', async () => {
      const f = await billingFixture(t, 'padcus')
      const plan = await f.perCallPlan('calls')
      const acme = `${f.ns}acme`
      const acmeSpace = `${f.ns}acme `
      await f.billing.customers.create({ id: acme, name: 'Acme' })
      await f.billing.customers.create({ id: acmeSpace, name: 'Acme with a space' })
      expect((await f.billing.customers.get(acmeSpace)).name).toBe('Acme with a space')
      expect((await f.billing.customers.get(acme)).name).toBe('Acme')
      t.setNow(SUITE_NOW)
      await f.billing.subscriptions.create({
        customer_id: acme,
        plan_code: plan,
        start_at: SUITE_NOW - 3_600_000,
      })
      await f.billing.subscriptions.create({
        customer_id: acmeSpace,
        plan_code: plan,
        start_at: SUITE_NOW - 3_600_000,
      })
      await f.use(acme, SUITE_NOW - 60_000, 1)
      await f.use(acmeSpace, SUITE_NOW - 60_000, 3)
      t.setNow(SUITE_NOW)
      expect(await usage(acme, f.calls)).toBe('1')
      expect(await usage(acmeSpace, f.calls)).toBe('3')
      expect((await f.billing.events.list({ customer_id: acme })).data).toHaveLength(1)
      expect((await f.billing.events.list({ customer_id: acmeSpace })).data).toHaveLength(3)
      expect((await f.billing.subscriptions.list({ customer_id: acmeSpace })).data).toHaveLength(1)
      expect((await f.billing.invoices.preview({ customer_id: acme })).total).toBe(50)
      expect((await f.billing.invoices.preview({ customer_id: acmeSpace })).total).toBe(150)
    })

    it('counts unique values that differ by a trailing space as two', async () => {
      const ns = t.unique('padvalue')
      await t.billing().meters.create({
        code: `${ns}users`,
        event_name: `${ns}call`,
        aggregation: 'unique_count',
        property: 'user',
      })
      await t.billing().events.ingest({
        events: [
          event(ns, 'a', { properties: { user: 'x' } }),
          event(ns, 'b', { properties: { user: 'x ' } }),
          event(ns, 'c', { properties: { user: 'x' } }),
        ],
      })
      expect(await usage(`${ns}cus`, `${ns}users`)).toBe('2')
    })

    it('finds no meter, plan or customer under a code or id with an extra trailing space', async () => {
      const f = await billingFixture(t, 'padcode')
      const plan = await f.perCallPlan('basic')
      const customer = await f.customer('c')
      await expect(f.billing.meters.get(`${f.calls} `)).rejects.toMatchObject({ code: 'NOT_FOUND' })
      await expect(f.billing.plans.get(`${plan} `)).rejects.toMatchObject({ code: 'NOT_FOUND' })
      await expect(f.billing.customers.get(`${customer} `)).rejects.toMatchObject({ code: 'NOT_FOUND' })
      await expect(
        f.billing.usage.get({ customer_id: customer, meter: `${f.calls} `, from: 0, to: SUITE_NOW }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' })
    })
  })
}
