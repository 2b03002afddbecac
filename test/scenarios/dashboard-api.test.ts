import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Billing, createBilling } from '../../src/index.js'
import { memoryTarget, openStorage, sqlTargets } from '../support/targets.js'

const JAN_10 = Date.UTC(2026, 0, 10, 12)
const at = (hour: number, minute = 0) => Date.UTC(2026, 0, 10, hour, minute)
const code = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (e: { code?: string }) => e.code,
  )

// What an operator dashboard reads through the public API: usage by hour and by customer,
// customer search, allowances near their limit and invoice totals, with their input checks.
for (const target of [memoryTarget, ...sqlTargets]) {
  describe.skipIf(target.skip)(
    `dashboard queries on ${target.name}${target.skip ? ` (skipped: ${target.skip})` : ''}`,
    () => {
      let billing: Billing
      let now = JAN_10
      let destroy: () => Promise<void>
      beforeAll(async () => {
        const store = await target.fresh()
        destroy = store.destroy
        billing = await createBilling({ storage: await openStorage(store.config), clock: () => now })
        await billing.meters.create({ code: 'calls', event_name: 'api_call', aggregation: 'count' })
        await billing.meters.create({
          code: 'peak',
          event_name: 'api_call',
          aggregation: 'max',
          property: 'n',
        })
        await billing.plans.create({
          code: 'capped',
          name: 'Capped',
          currency: 'NGN',
          interval: 'month',
          charges: [{ meter: 'calls', model: 'per_unit', unit_amount: '50' }],
          limits: [{ meter: 'calls', quantity: '10', on_exceed: 'reject' }],
        })
        await billing.customers.create({ id: 'cus_a', email: 'Ada@Example.com', name: 'Ada' })
        await billing.customers.create({ id: 'cus_b', name: 'Promo 50%_off' })
        await billing.customers.create({ id: 'cus_c' })
        for (const id of ['cus_a', 'cus_b', 'cus_c'])
          await billing.subscriptions.create({ customer_id: id, plan_code: 'capped', start_at: '2026-01-01' })
        const call = (customer_id: string, i: number, timestamp: number) => ({
          idempotency_key: `${customer_id}_${i}`,
          customer_id,
          event_name: 'api_call',
          timestamp,
          properties: { n: i },
        })
        await billing.events.ingest({
          events: [
            ...Array.from({ length: 9 }, (_, i) => call('cus_a', i, i < 4 ? at(10, 15) : at(11, 20))),
            ...Array.from({ length: 3 }, (_, i) => call('cus_b', i, at(11, 40))),
          ],
        })
      }, 120_000)
      afterAll(async () => {
        await billing?.close()
        await destroy?.()
      }, 120_000)

      it('usage.series: by hour over the hours the window touches, one customer or all', async () => {
        const series = await billing.usage.series({
          meter: 'calls',
          customer_id: 'cus_a',
          from: '2026-01-10T10:30:00Z',
          to: '2026-01-10T11:10:00Z',
        })
        expect(series).toEqual({
          meter: 'calls',
          customer_id: 'cus_a',
          from: '2026-01-10T10:00:00.000Z',
          to: '2026-01-10T12:00:00.000Z',
          points: [
            { hour: '2026-01-10T10:00:00.000Z', quantity: 4, precise_quantity: '4' },
            { hour: '2026-01-10T11:00:00.000Z', quantity: 5, precise_quantity: '5' },
          ],
        })
        const all = await billing.usage.series({ meter: 'calls', from: at(0), to: at(12) })
        expect(all.points.map((p) => p.precise_quantity)).toEqual(['4', '8'])
        const peak = await billing.usage.series({ meter: 'peak', from: at(0), to: at(12) })
        expect(peak.points.map((p) => p.precise_quantity)).toEqual(['3', '8'])
        expect(await code(billing.usage.series({ meter: 'calls', from: at(12), to: at(11) }))).toBe(
          'INVALID_WINDOW',
        )
        expect(await code(billing.usage.series({ meter: 'calls', from: 0, to: at(0) }))).toBe(
          'INVALID_WINDOW',
        )
        expect(await code(billing.usage.series({ meter: 'nope', from: at(0), to: at(1) }))).toBe('NOT_FOUND')
        expect(await code(billing.usage.series({ meter: 'calls', customer_id: '', from: 0, to: 1 }))).toBe(
          'INVALID_CUSTOMER_ID',
        )
        const extra = { meter: 'calls', from: 0, to: 1, step: 'day' }
        expect(await code(billing.usage.series(extra as never))).toBe('VALIDATION_ERROR')
      })

      it('usage.top: customers by usage of a count or sum meter, greatest first', async () => {
        const top = await billing.usage.top({ meter: 'calls', from: '2026-01-01', to: '2026-02-01' })
        expect(top.data).toEqual([
          { customer_id: 'cus_a', quantity: 9, precise_quantity: '9' },
          { customer_id: 'cus_b', quantity: 3, precise_quantity: '3' },
        ])
        expect(
          (await billing.usage.top({ meter: 'calls', from: at(0), to: at(12), limit: 1 })).data,
        ).toHaveLength(1)
        expect(await code(billing.usage.top({ meter: 'peak', from: at(0), to: at(12) }))).toBe(
          'INVALID_METER',
        )
        expect(await code(billing.usage.top({ meter: 'calls', from: at(0), to: at(12), limit: 101 }))).toBe(
          'VALIDATION_ERROR',
        )
      })

      it('customers.search: id, email or name, any case; LIKE wildcards and quotes are plain text', async () => {
        const ids = async (query: string) => (await billing.customers.search({ query })).data.map((c) => c.id)
        expect(await ids('ADA@example')).toEqual(['cus_a'])
        expect(await ids('cus_')).toEqual(['cus_a', 'cus_b', 'cus_c'])
        expect(await ids('50%_')).toEqual(['cus_b'])
        expect(await ids('%')).toEqual(['cus_b'])
        expect(await ids("%' OR 1=1 --")).toEqual([])
        expect(await ids("x' OR 'a'='a")).toEqual([])
        const first = await billing.customers.search({ query: 'cus', limit: 2 })
        expect(first.data.map((c) => c.id)).toEqual(['cus_a', 'cus_b'])
        const rest = await billing.customers.search({ query: 'cus', limit: 2, cursor: first.next_cursor! })
        expect(rest).toMatchObject({ data: [{ id: 'cus_c' }], has_more: false, next_cursor: null })
        expect(await code(billing.customers.search({ query: '' }))).toBe('VALIDATION_ERROR')
        expect(await code(billing.customers.search({ query: 'a\nb' }))).toBe('VALIDATION_ERROR')
        expect(await code(billing.customers.search({ query: 'a\u0000' }))).toBe('INVALID_STRING')
        expect(await code(billing.customers.search({ query: 'a', limit: 0 }))).toBe('VALIDATION_ERROR')
      })

      it('entitlements.nearLimit: current allowances at least `ratio` full, fullest first, paged', async () => {
        const page = await billing.entitlements.nearLimit()
        expect(page).toEqual({
          data: [
            {
              customer_id: 'cus_a',
              meter: 'calls',
              period_start: '2026-01-01T00:00:00.000Z',
              period_end: '2026-02-01T00:00:00.000Z',
              limit: '10',
              granted: '0',
              used: '9',
              reserved: '0',
              fill: 0.9,
            },
          ],
          has_more: false,
          next_cursor: null,
        })
        const low = await billing.entitlements.nearLimit({ ratio: 0.2, limit: 1 })
        expect(low.data.map((a) => a.customer_id)).toEqual(['cus_a'])
        const next = await billing.entitlements.nearLimit({ ratio: 0.2, limit: 1, cursor: low.next_cursor! })
        expect(next.data.map((a) => [a.customer_id, a.fill])).toEqual([['cus_b', 0.3]])
        expect((await billing.entitlements.nearLimit({ ratio: 0.95 })).data).toEqual([])
        expect(await code(billing.entitlements.nearLimit({ cursor: 'bm9wZQ' }))).toBe('INVALID_CURSOR')
        expect(await code(billing.entitlements.nearLimit({ ratio: 0 }))).toBe('VALIDATION_ERROR')
      })

      it('invoices.totals: finalized invoices of a window per currency and status', async () => {
        now = Date.UTC(2026, 1, 1, 1)
        const { finalized } = await billing.invoices.run()
        const expected = new Map<string, { currency: string; status: string; count: number; total: number }>()
        for (const i of finalized) {
          const key = `${i.currency} ${i.status}`
          const group = expected.get(key) ?? { currency: i.currency, status: i.status, count: 0, total: 0 }
          group.count++
          group.total += i.total
          expected.set(key, group)
        }
        expect(finalized.reduce((sum, i) => sum + i.total, 0)).toBe(600)
        expect(await billing.invoices.totals({ from: '2026-02-01', to: '2026-03-01' })).toEqual([
          ...expected.values(),
        ])
        expect(await billing.invoices.totals({ from: '2026-01-01', to: '2026-02-01' })).toEqual([])
        expect(await code(billing.invoices.totals({ from: '2026-03-01', to: '2026-02-01' }))).toBe(
          'INVALID_WINDOW',
        )
      })
    },
  )
}
