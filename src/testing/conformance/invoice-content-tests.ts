import { afterEach, describe, expect } from 'vitest'
import { billingFixture, lineOf } from './billing-fixtures.js'
import { type ConformanceContext, SUITE_NOW } from './context.js'

const utc = (y: number, m: number, d: number, h = 0) => Date.UTC(y, m - 1, d, h)

/** What an invoice holds: the published price cards with VAT, minimums, zero invoices, previews. */
export function invoiceContentTests(t: ConformanceContext): void {
  const { it } = t
  describe('invoice content', () => {
    afterEach(() => t.setNow(SUITE_NOW))

    it('prices every published price card on one invoice with VAT 7.5%, totals checked by hand', async () => {
      const f = await billingFixture(t, 'cards')
      const b = f.billing
      const batch = `${f.ns}batch`
      const graduatedCalls = `${f.ns}gcalls`
      const blockCalls = `${f.ns}bcalls`
      await b.meters.create({
        code: graduatedCalls,
        event_name: batch,
        aggregation: 'sum',
        property: 'graduated',
      })
      await b.meters.create({ code: blockCalls, event_name: batch, aggregation: 'sum', property: 'block' })
      const plan = await f.plan('cards', {
        name: 'Every card',
        currency: 'NGN',
        interval: 'month',
        tax_rates: [{ name: 'VAT', percent: '7.5' }],
        charges: [
          { meter: f.calls, name: 'Requests', model: 'per_unit', unit_amount: '50' },
          { meter: f.tokens, name: 'Tokens', model: 'package', package_size: 1000, package_amount: '200' },
          {
            meter: graduatedCalls,
            name: 'Calls',
            model: 'graduated',
            tiers: [
              { up_to: 10_000, unit_amount: '0' },
              { up_to: 100_000, unit_amount: '40' },
              { up_to: null, unit_amount: '20' },
            ],
          },
          {
            meter: blockCalls,
            name: 'Block calls',
            model: 'prepaid_block',
            block_size: 200_000,
            block_amount: '5000000',
            overage_unit_amount: '30',
          },
        ],
      })
      const c = await f.customer('c')
      t.setNow(utc(2027, 9, 1))
      const sub = await b.subscriptions.create({ customer_id: c, plan_code: plan, start_at: '2027-09-01' })
      await f.use(c, utc(2027, 9, 2), 1233, 0)
      await f.use(c, utc(2027, 9, 3), 1, 1_234_567)
      t.setNow(utc(2027, 9, 4))
      await b.events.ingest({
        events: [
          {
            event_name: batch,
            customer_id: c,
            idempotency_key: `${f.ns}g1`,
            timestamp: utc(2027, 9, 4),
            properties: { graduated: 100_000 },
          },
          {
            event_name: batch,
            customer_id: c,
            idempotency_key: `${f.ns}g2`,
            timestamp: utc(2027, 9, 4),
            properties: { graduated: 50_000, block: 230_000 },
          },
        ],
      })
      await f.run(utc(2027, 10, 1, 2))
      const [opening, september] = await f.invoicesOf(sub.id)

      // Opening: the block billed in advance, ₦50,000, plus VAT ₦3,750.
      expect(opening).toMatchObject({ subtotal: 5_000_000, tax: 375_000, total: 5_375_000 })

      // September usage: 1,234 × ₦0.50 = ₦617; ceil(1,234,567 / 1,000) × ₦2 = ₦2,470;
      // 90,000 × ₦0.40 + 50,000 × ₦0.20 = ₦46,000; 30,000 × ₦0.30 beyond the block = ₦9,000;
      // and October's block ₦50,000 in advance. Subtotal ₦108,087; VAT 7.5% = ₦8,106.525 → ₦8,106.53.
      const s = september!
      expect(lineOf(s, 'usage', f.calls)[0]).toMatchObject({ quantity: '1234', amount: 61_700 })
      expect(lineOf(s, 'usage', f.tokens)[0]).toMatchObject({ quantity: '1234567', amount: 247_000 })
      const calls = lineOf(s, 'usage', graduatedCalls)[0]!
      expect(calls).toMatchObject({ quantity: '150000', amount: 4_600_000 })
      expect(calls.tiers?.map((tier) => tier.amount)).toEqual(['0', '3600000', '1000000'])
      expect(lineOf(s, 'usage', blockCalls)[0]).toMatchObject({ quantity: '230000', amount: 900_000 })
      expect(lineOf(s, 'fixed', blockCalls)[0]).toMatchObject({ amount: 5_000_000 })
      expect(s.subtotal).toBe(61_700 + 247_000 + 4_600_000 + 900_000 + 5_000_000)
      expect(lineOf(s, 'tax')[0]).toMatchObject({
        description: 'VAT (7.5%)',
        precise_amount: '810652.5',
        amount: 810_653,
      })
      expect(s).toMatchObject({
        subtotal: 10_808_700,
        tax: 810_653,
        total: 11_619_353,
        amount_due: 11_619_353,
      })

      const text = await b.invoices.render(s.id, { format: 'text' })
      expect(text).toContain('₦116,193.53')
      expect(text).toContain(s.number!)
      const html = await b.invoices.render(s.id, { format: 'html' })
      expect(html).toContain('₦116,193.53')
    }, 120_000)

    it('adds a minimum true-up, creates zero invoices, previews the current period, voids', async () => {
      const f = await billingFixture(t, 'minimum')
      const b = f.billing
      const committed = await f.plan('min', {
        name: 'Committed',
        currency: 'NGN',
        interval: 'month',
        minimum_amount: '1000000',
        charges: [{ meter: f.calls, model: 'per_unit', unit_amount: '50' }],
      })
      const payg = await f.plan('payg', {
        name: 'Pay as you go',
        currency: 'NGN',
        interval: 'week',
        charges: [{ meter: f.calls, model: 'per_unit', unit_amount: '50', max_amount: 100 }],
      })
      const c = await f.customer('c')
      const idle = await f.customer('idle')
      t.setNow(utc(2027, 10, 1))
      const sub = await b.subscriptions.create({
        customer_id: c,
        plan_code: committed,
        start_at: '2027-10-01',
      })
      const zero = await b.subscriptions.create({
        customer_id: idle,
        plan_code: payg,
        start_at: '2027-10-01',
      })
      await f.use(c, utc(2027, 10, 2), 1234)

      t.setNow(utc(2027, 10, 15))
      const preview = await b.invoices.preview({ customer_id: c })
      expect(preview).toMatchObject({ status: 'preview', total: 1_000_000 })
      expect(lineOf(preview as never, 'usage')[0]).toMatchObject({ quantity: '1234', amount: 61_700 })
      await f.use(c, utc(2027, 10, 14), 10)
      t.setNow(utc(2027, 10, 15))
      expect((await b.invoices.preview({ customer_id: c })).lines[0]!.quantity).toBe('1244')

      await f.run(utc(2027, 11, 1, 2))
      const october = (await f.invoicesOf(sub.id))[1]!
      expect(lineOf(october, 'minimum')[0]).toMatchObject({ amount: 1_000_000 - 62_200 })
      expect(october.total).toBe(1_000_000)

      const weeks = await f.invoicesOf(zero.id)
      expect(weeks.length).toBe(5)
      expect(weeks.every((i) => i.total === 0 && i.status !== 'draft')).toBe(true)

      const voided = await b.invoices.void(october.id)
      expect(voided).toMatchObject({ status: 'void', number: october.number })
      await expect(b.invoices.void(october.id)).rejects.toMatchObject({ code: 'CONFLICT' })
      expect((await b.invoices.list({ customer_id: c, status: 'void' })).data.map((i) => i.id)).toEqual([
        october.id,
      ])
    }, 120_000)
  })
}
