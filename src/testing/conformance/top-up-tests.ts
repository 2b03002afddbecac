import { afterAll, beforeAll, describe, expect } from 'vitest'
import type { Billing } from '../../core/billing.js'
import { billingFixture, HOUR } from './billing-fixtures.js'
import { type CheckoutHarness, checkoutHarness } from './checkout-fixture.js'
import type { ConformanceContext } from './context.js'

const JUNE = '2026-06-01'
const JUNE_T = Date.parse(`${JUNE}T00:00:00Z`)
const JULY_T = Date.parse('2026-07-01T00:00:00Z')

/** Top-ups (`topUps.create`) of a prepaid block that pauses on depletion, on every storage. */
export function topUpTests(t: ConformanceContext): void {
  const { it } = t
  describe('top-ups', () => {
    let h: CheckoutHarness
    beforeAll(async () => {
      h = await checkoutHarness(t, JUNE_T)
    })
    afterAll(async () => {
      await h?.close()
    })

    // A customer on a 100-call block (₦50,000, 7.5% VAT) that pauses, with its block used up.
    async function depleted(label: string, card: 'approve' | 'decline' | null) {
      const f = await billingFixture(t, label)
      const plan = await f.plan('blk', {
        name: 'Block',
        currency: 'NGN',
        interval: 'month',
        tax_rates: [{ name: 'VAT', percent: '7.5' }],
        charges: [
          {
            meter: f.calls,
            model: 'prepaid_block',
            block_size: 100,
            block_amount: '5000000',
            on_depletion: 'pause',
          },
        ],
      })
      const { customer } = await f.subscribe('a', plan, JUNE)
      const { billing, paystack } = h
      if (card !== null) {
        const email = 'a@example.ng'
        const behaviour = card === 'approve' ? 'approve' : { kind: 'decline' as const }
        const authorization_code = paystack.addCard({ email, behaviour })
        await billing.paymentMethods.attach({
          customer_id: customer,
          gateway: 'paystack',
          authorization_code,
          email,
        })
      }
      h.setNow(JUNE_T + HOUR)
      let n = 0
      const ingest = (count: number, at = JUNE_T + HOUR) =>
        billing.events.ingest({
          events: Array.from({ length: count }, () => ({
            event_name: f.event,
            customer_id: customer,
            idempotency_key: `${f.ns}e${++n}`,
            timestamp: at,
          })),
        })
      expect((await ingest(100)).accepted).toBe(100)
      const refused = await ingest(1)
      expect(refused.results[0]).toMatchObject({ error: { code: 'QUOTA_EXCEEDED' } })
      const check = () => billing.entitlements.check({ customer_id: customer, meter: f.calls, quantity: 1 })
      expect(await check()).toMatchObject({ allowed: false, limit: 100, remaining: 0 })
      return { f, customer, billing, ingest, check }
    }

    it('with a card: the top-up is invoiced, numbered, paid at once, and the customer is allowed 100 more', async () => {
      const { f, customer, billing, ingest, check } = await depleted('tucard', 'approve')
      const invoice = await billing.topUps.create({
        customer_id: customer,
        meter: f.calls,
        idempotency_key: 'k1',
      })
      expect(invoice).toMatchObject({
        billing_reason: 'top_up',
        status: 'paid',
        customer_id: customer,
        top_up: { meter: f.calls, blocks: 1, quantity: '100' },
        subtotal: 5000000,
        tax: 375000,
        total: 5375000,
        amount_due: 5375000,
        amount_paid: 5375000,
        period_start: '2026-06-01T00:00:00.000Z',
        period_end: '2026-07-01T00:00:00.000Z',
      })
      expect(invoice.number).toMatch(/^INV-\d{6}$/)
      expect(await check()).toMatchObject({ allowed: true, limit: 200, remaining: 100 })
      expect((await ingest(100)).accepted).toBe(100)
      expect((await ingest(1)).results[0]).toMatchObject({ error: { code: 'QUOTA_EXCEEDED' } })
      // The same key answers the same invoice: no second invoice, charge or grant.
      const again = await billing.topUps.create({
        customer_id: customer,
        meter: f.calls,
        idempotency_key: 'k1',
      })
      expect(again).toEqual(invoice)
      await expect(
        billing.topUps.create({ customer_id: customer, meter: f.calls, blocks: 2, idempotency_key: 'k1' }),
      ).rejects.toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' })
      expect(await check()).toMatchObject({ allowed: false, limit: 200 })
      const topUps = (await billing.invoices.list({ customer_id: customer })).data.filter(
        (i) => i.billing_reason === 'top_up',
      )
      expect(topUps.map((i) => i.id)).toEqual([invoice.id])

      // The blocks were this period's: July starts from the plan's block alone.
      h.setNow(JULY_T + HOUR)
      expect(await check()).toMatchObject({ allowed: true, limit: 100, remaining: 100 })
    })

    it('without a card: the invoice stays open; paying it offline, twice, grants once', async () => {
      const { f, customer, billing, check } = await depleted('tuoff', null)
      const invoice = await billing.topUps.create({ customer_id: customer, meter: f.calls, blocks: 2 })
      expect(invoice).toMatchObject({ status: 'open', billing_reason: 'top_up', subtotal: 10000000 })
      expect(invoice.number).not.toBeNull()
      expect(await check()).toMatchObject({ allowed: false })
      const pay = (reference: string) =>
        billing.payments.recordOffline({
          invoice_id: invoice.id,
          amount: invoice.amount_due,
          method: 'bank_transfer',
          reference,
        })
      await Promise.all([pay(`${f.ns}FT1`), pay(`${f.ns}FT1`)])
      expect(await billing.invoices.get(invoice.id)).toMatchObject({ status: 'paid' })
      expect(await check()).toMatchObject({ allowed: true, limit: 300, remaining: 200 })
      await expect(pay(`${f.ns}FT2`)).rejects.toMatchObject({ code: 'INVALID_STATE' })
      expect(await check()).toMatchObject({ limit: 300 })
    })

    it('a declined card grants nothing and pauses nothing; a checkout link then pays it, and a redelivered webhook grants once', async () => {
      const { f, customer, billing, check } = await depleted('tudecl', 'decline')
      const invoice = await billing.topUps.create({ customer_id: customer, meter: f.calls })
      expect(invoice).toMatchObject({ status: 'open', attempt_count: 1, next_payment_attempt: null })
      expect(await check()).toMatchObject({ allowed: false, limit: 100 })
      expect((await billing.subscriptions.list({ customer_id: customer })).data[0]?.status).toBe('active')
      const link = await billing.checkout.create({
        invoice_id: invoice.id,
        gateway: 'paystack',
        callback_url: 'https://app.example.ng/paid',
      })
      expect(await h.paystack.completeCheckout(link.reference)).toMatchObject({ status: 'succeeded' })
      expect(await billing.invoices.get(invoice.id)).toMatchObject({ status: 'paid' })
      expect(await check()).toMatchObject({ allowed: true, limit: 200, remaining: 100 })
      const event = h.paystack.chargeEvent(link.reference)
      expect(await h.paystack.sendWebhook(h.paystack.webhookUrl ?? '', event)).toBe(200)
      expect(await check()).toMatchObject({ limit: 200 })
      const [allowance] = await t
        .storage()
        .entitlements.read([{ customer_id: customer, meter: f.calls }], JUNE_T)
      expect(allowance?.granted).toBe('100')
    })

    it('refuses what cannot be topped up, with typed errors', async () => {
      const f = await billingFixture(t, 'tubad')
      const perCall = await f.perCallPlan('pc')
      const { customer } = await f.subscribe('a', perCall, JUNE)
      h.setNow(JUNE_T + HOUR)
      const billing: Billing = h.billing
      const create = (input: Parameters<Billing['topUps']['create']>[0]) => billing.topUps.create(input)
      await expect(create({ customer_id: customer, meter: f.calls })).rejects.toMatchObject({
        code: 'INVALID_LIMIT',
        details: { path: 'meter' },
      })
      await expect(create({ customer_id: customer, meter: f.calls, blocks: 0 })).rejects.toMatchObject({
        details: { path: 'blocks' },
      })
      await expect(create({ customer_id: customer, meter: f.calls, blocks: 1.5 })).rejects.toMatchObject({
        details: { path: 'blocks' },
      })
      await expect(create({ customer_id: customer, meter: `${f.ns}none` })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      })
      await expect(create({ customer_id: `${f.ns}nobody`, meter: f.calls })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      })
      const lone = await f.customer('lone')
      await expect(create({ customer_id: lone, meter: f.calls })).rejects.toMatchObject({ code: 'CONFLICT' })
    })
  })
}
