import { describe, expect } from 'vitest'
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors.js'
import { billingFixture } from './billing-fixtures.js'
import type { ConformanceContext } from './context.js'

/** Bad input to customers, plans, subscriptions and invoices: typed errors naming the id or path. */
export function billingErrorTests(t: ConformanceContext): void {
  const { it } = t
  describe('billing errors', () => {
    it('answers unknown ids with NotFoundError and duplicates with ConflictError', async () => {
      const f = await billingFixture(t, 'errors')
      const b = f.billing
      const plan = await f.plan('p', { name: 'P', currency: 'NGN', interval: 'month' })
      const c = await f.customer('c')
      await expect(b.customers.get(`${f.ns}nobody`)).rejects.toMatchObject({
        code: 'NOT_FOUND',
        details: { id: `${f.ns}nobody` },
      })
      await expect(
        b.subscriptions.create({ customer_id: `${f.ns}nobody`, plan_code: plan }),
      ).rejects.toBeInstanceOf(NotFoundError)
      await expect(
        b.subscriptions.create({ customer_id: c, plan_code: `${f.ns}none` }),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
        details: { id: `${f.ns}none`, resource: 'plan' },
      })
      await expect(b.subscriptions.get('sub_missing')).rejects.toMatchObject({
        details: { id: 'sub_missing' },
      })
      await expect(b.subscriptions.cancel('sub_missing')).rejects.toBeInstanceOf(NotFoundError)
      await expect(b.invoices.get('in_missing')).rejects.toBeInstanceOf(NotFoundError)
      await expect(b.plans.get(`${f.ns}none`)).rejects.toBeInstanceOf(NotFoundError)
      await expect(
        b.usage.get({ customer_id: c, meter: `${f.ns}nometer`, from: 0, to: 1 }),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
        details: { id: `${f.ns}nometer` },
      })
      await expect(b.customers.create({ id: c })).rejects.toBeInstanceOf(ConflictError)
      await expect(
        b.plans.create({ code: plan, name: 'again', currency: 'NGN', interval: 'month' }),
      ).rejects.toMatchObject({
        code: 'CONFLICT',
        details: { id: plan },
      })
    })

    it('refuses plans with unknown meters, mixed currencies or bad fields, naming the path', async () => {
      const f = await billingFixture(t, 'plans')
      const b = f.billing
      const base = { name: 'Bad', currency: 'NGN', interval: 'month' as const }
      await expect(
        b.plans.create({
          ...base,
          code: `${f.ns}a`,
          charges: [{ meter: 'nope', model: 'per_unit', unit_amount: '1' }],
        }),
      ).rejects.toMatchObject({ code: 'UNKNOWN_METER', details: { path: 'charges[0].meter' } })
      await expect(
        b.plans.create({
          ...base,
          code: `${f.ns}b`,
          charges: [
            { meter: f.calls, model: 'per_unit', unit_amount: '1' },
            { meter: f.calls, model: 'per_unit', unit_amount: '1', currency: 'USD' },
          ],
        }),
      ).rejects.toMatchObject({ code: 'CURRENCY_MISMATCH', details: { path: 'charges[1].currency' } })
      await expect(
        b.plans.create({
          ...base,
          code: `${f.ns}c`,
          charges: [{ meter: f.calls, model: 'graduated', tiers: [] }],
        }),
      ).rejects.toMatchObject({ details: { path: 'charges[0].tiers' } })
      await expect(b.plans.create({ ...base, code: `${f.ns}d`, currency: 'XYZ' })).rejects.toMatchObject({
        code: 'UNKNOWN_CURRENCY',
      })
      await expect(b.plans.create({ ...base, code: `${f.ns}e`, fixed_amount: '-1' })).rejects.toMatchObject({
        code: 'INVALID_AMOUNT',
        details: { path: 'fixed_amount' },
      })
      const ok = await f.plan('ok', base)
      await expect(b.plans.update(ok, { currency: 'USD' } as never)).rejects.toMatchObject({
        code: 'PLAN_FIELD_IMMUTABLE',
        details: { path: 'currency' },
      })
      await expect(b.customers.create({ id: `${f.ns}tz`, timezone: 'Mars/Olympus' })).rejects.toBeInstanceOf(
        ValidationError,
      )
      await expect(b.customers.create({ id: `${f.ns}tz`, timezone: 'Mars/Olympus' })).rejects.toMatchObject({
        code: 'INVALID_TIMEZONE',
        details: { path: 'timezone' },
      })
    })

    it('refuses plans whose amounts no invoice could carry, naming the field, and keeps fractional prices', async () => {
      const f = await billingFixture(t, 'bounds')
      const b = f.billing
      const base = { name: 'Huge', currency: 'NGN', interval: 'month' as const }
      const tooBig = String(Number.MAX_SAFE_INTEGER + 1)
      await expect(b.plans.create({ ...base, code: `${f.ns}a`, fixed_amount: 1e308 })).rejects.toMatchObject({
        name: 'ValidationError',
        code: 'AMOUNT_OVERFLOW',
        details: { path: 'fixed_amount' },
      })
      await expect(
        b.plans.create({ ...base, code: `${f.ns}b`, minimum_amount: tooBig }),
      ).rejects.toMatchObject({ code: 'AMOUNT_OVERFLOW', details: { path: 'minimum_amount' } })
      await expect(
        b.plans.create({
          ...base,
          code: `${f.ns}c`,
          charges: [
            { meter: f.calls, model: 'per_unit', unit_amount: '1' },
            {
              meter: f.tokens,
              model: 'graduated',
              tiers: [
                { up_to: 10, unit_amount: '0' },
                { up_to: null, unit_amount: '1', flat_amount: tooBig },
              ],
            },
          ],
        }),
      ).rejects.toMatchObject({
        code: 'AMOUNT_OVERFLOW',
        details: { path: 'charges[1].tiers[1].flat_amount' },
      })
      const ok = await f.plan('ok', {
        ...base,
        fixed_amount: Number.MAX_SAFE_INTEGER,
        charges: [{ meter: f.calls, model: 'per_unit', unit_amount: '0.0001' }],
      })
      await expect(
        b.plans.update(ok, { charges: [{ meter: f.calls, model: 'per_unit', unit_amount: 1e300 }] }),
      ).rejects.toMatchObject({ code: 'AMOUNT_OVERFLOW', details: { path: 'charges[0].unit_amount' } })
      await expect(b.plans.get(ok)).resolves.toMatchObject({ version: 1 })
      for (const code of ['a', 'b', 'c']) {
        await expect(b.plans.get(`${f.ns}${code}`)).rejects.toBeInstanceOf(NotFoundError)
      }
    })
  })
}
