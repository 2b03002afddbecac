import { describe, expect } from 'vitest'
import type { EventInput } from '../../core/events/types.js'
import { type ConformanceContext, SUITE_NOW, suiteEvent } from './context.js'

/**
 * Input that no storage can hold byte for byte, or that would reach it in a form other than the one
 * validated: rejected per event with its own code before any storage sees it.
 */
export function hostileInputTests(t: ConformanceContext): void {
  const { it } = t
  describe('hostile input', () => {
    const event = (ns: string, key: string, extra: Partial<EventInput> = {}) => suiteEvent(ns, key, extra)
    const stored = async (customer: string) =>
      (await t.billing().events.list({ customer_id: customer, limit: 1000 })).data.map(
        (e) => e.idempotency_key,
      )

    it('refuses keys with a lone surrogate every time, so no retry is ever counted', async () => {
      const ns = t.unique('surrogate')
      await t.billing().meters.create({ code: `${ns}calls`, event_name: `${ns}call`, aggregation: 'count' })
      for (let i = 0; i < 4; i++) {
        const r = await t.billing().events.ingest({ events: [event(ns, 'req_\uD800')] })
        expect(r.results[0]).toMatchObject({ status: 'rejected', error: { code: 'INVALID_STRING' } })
      }
      const pair = await t.billing().events.ingest({
        events: [event(ns, 'a\uD800'), event(ns, 'a\uDBFF'), event(ns, 'ok')],
      })
      expect(pair.results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'accepted'])
      expect(pair.results[0]?.error).toMatchObject({ code: 'INVALID_STRING', path: 'idempotency_key' })
      const usage = await t
        .billing()
        .usage.get({ customer_id: `${ns}cus`, meter: `${ns}calls`, from: 0, to: SUITE_NOW })
      expect(usage.quantity).toBe(1)
      expect(await stored(`${ns}cus`)).toEqual([`${ns}ok`])
    })

    it('refuses NUL and lone surrogates in customer ids and property values and names', async () => {
      const ns = t.unique('nul')
      const r = await t.billing().events.ingest({
        events: [
          event(ns, 'a', { customer_id: `${ns}cus\u0000` }),
          event(ns, 'b', { properties: { user: 'x\uD800' } }),
          event(ns, 'c', { properties: { user: 'x\uDC00' } }),
          event(ns, 'd', { properties: { user: 'x\u0000' } }),
          event(ns, 'e', { properties: { 'u\uD800': 'x' } }),
          event(ns, 'f', { properties: { user: 'x\uD83D\uDE00' } }),
        ],
      })
      expect(r.results.map((x) => x.error?.path ?? x.status)).toEqual([
        'customer_id',
        'properties.user',
        'properties.user',
        'properties.user',
        'properties.u\uD800',
        'accepted',
      ])
      const page = await t.billing().events.list({ customer_id: `${ns}cus` })
      expect(page.data.map((e) => e.properties.user)).toEqual(['x\uD83D\uDE00'])
    })

    it('refuses numbers beyond 20 integer or 30 fractional digits instead of rounding them', async () => {
      const ns = t.unique('range')
      await t.billing().meters.create({
        code: `${ns}tokens`,
        event_name: `${ns}call`,
        aggregation: 'sum',
        property: 'tokens',
      })
      const r = await t.billing().events.ingest({
        events: [
          event(ns, 'a', { properties: { tokens: 1e40 } }),
          event(ns, 'b', { properties: { tokens: '1e-26' } }),
          event(ns, 'c', { properties: { tokens: `0.${'0'.repeat(34)}1` } }),
          event(ns, 'd', { properties: { tokens: '99999999999999999999.5' } }),
          event(ns, 'e', { properties: { tokens: `0.${'0'.repeat(29)}1` } }),
        ],
      })
      expect(r.results.map((x) => x.error?.code ?? x.status)).toEqual([
        'VALUE_OUT_OF_RANGE',
        'accepted',
        'VALUE_OUT_OF_RANGE',
        'accepted',
        'accepted',
      ])
      // '1e-26' is not a decimal string: stored, but not numeric for the meter (with a warning).
      expect(r.warnings.map((w) => w.code)).toEqual(['PROPERTY_NOT_NUMERIC'])
      const usage = await t
        .billing()
        .usage.get({ customer_id: `${ns}cus`, meter: `${ns}tokens`, from: 0, to: SUITE_NOW })
      expect(usage.precise_quantity).toBe(`99999999999999999999.5${'0'.repeat(28)}1`)
    })

    it('rejects a hole in a sparse batch and a throwing getter on their own, and stores the rest once', async () => {
      const ns = t.unique('sparse')
      const events: unknown[] = [event(ns, 'a'), undefined, event(ns, 'c')]
      delete events[1]
      const exploding = { ...event(ns, 'd') } as Record<string, unknown>
      Object.defineProperty(exploding, 'customer_id', {
        enumerable: true,
        get: () => {
          throw new Error('getter exploded')
        },
      })
      events.push(exploding)
      const r = await t.billing().events.ingest({ events: events as EventInput[] })
      expect(r.results.map((x) => x.error?.code ?? x.status)).toEqual([
        'accepted',
        'INVALID_EVENT',
        'accepted',
        'INVALID_EVENT',
      ])
      expect(r.accepted + r.rejected).toBe(4)
      expect(await stored(`${ns}cus`)).toEqual([`${ns}a`, `${ns}c`])
    })

    it('stores the value it validated when a getter changes its answer', async () => {
      const ns = t.unique('shifty')
      let reads = 0
      const shifty = { ...event(ns, 'a') } as Record<string, unknown>
      Object.defineProperty(shifty, 'customer_id', {
        enumerable: true,
        get: () => (reads++ === 0 ? `${ns}cus` : 'x'.repeat(100_000)),
      })
      const r = await t.billing().events.ingest({ events: [shifty as unknown as EventInput] })
      expect(r.results[0]?.status).toBe('accepted')
      expect(await stored(`${ns}cus`)).toEqual([`${ns}a`])
    })

    it('refuses impossible calendar dates rather than rolling them into the next month', async () => {
      const ns = t.unique('date')
      const r = await t.billing().events.ingest({
        events: [
          '2026-02-30T12:00:00Z',
          '2026-04-31T00:00:00Z',
          '2026-01-01T24:00:00Z',
          '2026-01-01T10:00:00+24:00',
        ].map((timestamp, i) => event(ns, `k${i}`, { timestamp })),
      })
      expect(r.results.map((x) => x.error?.code)).toEqual(Array(4).fill('INVALID_TIMESTAMP'))
    })

    it('bounds meter definitions: filters and meters per event name', async () => {
      const ns = t.unique('bounds')
      const filters = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`p${i}`, ['x']]))
      await expect(
        t.billing().meters.create({ code: `${ns}m`, event_name: `${ns}call`, aggregation: 'count', filters }),
      ).rejects.toMatchObject({ code: 'TOO_MANY_FILTERS' })
      const values = Array.from({ length: 101 }, (_, i) => `v${i}`)
      await expect(
        t.billing().meters.create({
          code: `${ns}m`,
          event_name: `${ns}call`,
          aggregation: 'count',
          filters: { model: values },
        }),
      ).rejects.toMatchObject({ code: 'TOO_MANY_FILTERS', details: { path: 'filters.model' } })
      for (let i = 0; i < 50; i++) {
        await t.billing().meters.create({ code: `${ns}m${i}`, event_name: `${ns}call`, aggregation: 'count' })
      }
      await expect(
        t.billing().meters.create({ code: `${ns}m50`, event_name: `${ns}call`, aggregation: 'count' }),
      ).rejects.toMatchObject({ code: 'TOO_MANY_METERS', details: { path: 'event_name' } })
      await expect(
        t.billing().plans.create({
          code: `${ns}plan`,
          name: 'Filtered',
          currency: 'NGN',
          interval: 'month',
          charges: [{ meter: `${ns}m0`, model: 'per_unit', unit_amount: '1', filters: { model: ['a'] } }],
        }),
      ).rejects.toMatchObject({ code: 'TOO_MANY_METERS' })
      const r = await t.billing().events.ingest({ events: [event(ns, 'a')] })
      expect(r.accepted).toBe(1)
    })

    it('never lets a lone surrogate in a lookup find the object whose id has U+FFFD', async () => {
      const ns = t.unique('lookup')
      await t.billing().customers.create({ id: `${ns}\uFFFD` })
      await expect(t.billing().customers.get(`${ns}\uD800`)).rejects.toMatchObject({ code: 'NOT_FOUND' })
      await expect(
        t.billing().usage.get({ customer_id: `${ns}\uD800`, meter: 'any', from: 0, to: SUITE_NOW }),
      ).rejects.toMatchObject({ code: 'INVALID_STRING', details: { path: 'customer_id' } })
      await expect(t.billing().events.list({ customer_id: `${ns}\u0000` })).rejects.toMatchObject({
        code: 'INVALID_STRING',
      })
    })

    it('applies the text rule to customers, plans and meters too', async () => {
      const ns = t.unique('text')
      await expect(t.billing().customers.create({ id: `${ns}\uD800` })).rejects.toMatchObject({
        code: 'INVALID_STRING',
        details: { path: 'id' },
      })
      await expect(t.billing().customers.create({ id: `${ns}c`, name: 'Acme\u0000' })).rejects.toMatchObject({
        code: 'INVALID_STRING',
        details: { path: 'name' },
      })
      await expect(
        t.billing().customers.create({ id: `${ns}c`, metadata: { note: 'x\uDFFF' } }),
      ).rejects.toMatchObject({ code: 'INVALID_STRING', details: { path: 'metadata.note' } })
      await expect(
        t.billing().meters.create({
          code: `${ns}m`,
          event_name: `${ns}call`,
          aggregation: 'count',
          filters: { model: ['a\u0000'] },
        }),
      ).rejects.toMatchObject({ code: 'INVALID_STRING' })
    })
  })
}
