import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryTarget, sqliteTarget } from '../support/targets.js'
import {
  type Fakes,
  freshBilling,
  invoicesOf,
  JAN,
  referenceOf,
  startFakes,
  subscribed,
} from './payment-fixture.js'

const LEASE_MS = 120_000

// A charge whose outcome is unknown (its answer lost, late or a 5xx) is never sent again: its
// reference is verified, and only a verified "not found" after the attempt's lease lets the same
// reference be charged again.
for (const target of [memoryTarget, sqliteTarget]) {
  describe(`a charge of unknown outcome on ${target.name}`, () => {
    let fakes: Fakes
    beforeAll(async () => {
      fakes = await startFakes()
    })
    afterAll(async () => {
      await fakes?.close()
    })

    for (const gateway of ['paystack', 'flutterwave'] as const) {
      it(`${gateway}: an answer lost after charging is settled from verify, with one charge request`, async () => {
        const fake = fakes[gateway]
        const { billing, setNow, close } = await freshBilling(target, fakes.urls)
        const card = fake.addCard({ email: 'ada@example.com' })
        const { customer } = await subscribed(billing, 'lost', gateway, card, 'ada@example.com')
        setNow(JAN + 60_000)
        await billing.invoices.run()
        const [invoice] = await invoicesOf(billing, customer)
        const before = fake.chargeRequests()
        fake.dropNextChargeResponse()
        const payment = await billing.payments.collect({ invoice_id: invoice!.id })
        expect(payment).toMatchObject({ status: 'succeeded', attempt: 1 })
        expect(fake.chargeRequests() - before).toBe(1)
        expect(fake.successfulCharges(payment!.reference)).toBe(1)
        expect((await invoicesOf(billing, customer))[0]).toMatchObject({ status: 'paid', attempt_count: 1 })
        await close()
      })

      it(`${gateway}: a 5xx after charging is never resent: one charge request, invoice paid`, async () => {
        const fake = fakes[gateway]
        const { billing, setNow, close } = await freshBilling(target, fakes.urls)
        const card = fake.addCard({ email: 'bola@example.com' })
        const { customer } = await subscribed(billing, 'five', gateway, card, 'bola@example.com')
        setNow(JAN + 60_000)
        const before = fake.chargeRequests()
        fake.failNextChargeAfterCharging(502)
        const tick = await billing.tick()
        expect(tick.payments.map((p) => p.status)).toEqual(['succeeded'])
        expect(fake.chargeRequests() - before).toBe(1)
        expect((await invoicesOf(billing, customer))[0]).toMatchObject({
          status: 'paid',
          amount_paid: 500000,
        })
        await close()
      })
    }

    it('a timeout while the gateway is still charging: one charge request, settled by the next tick', async () => {
      const fake = fakes.flutterwave
      const { billing, setNow, close } = await freshBilling(target, fakes.urls, { timeoutMs: 100 })
      const card = fake.addCard({ email: 'chi@example.com' })
      const { customer } = await subscribed(billing, 'slow', 'flutterwave', card, 'chi@example.com')
      setNow(JAN + 60_000)
      await billing.invoices.run()
      const [invoice] = await invoicesOf(billing, customer)
      const before = fake.chargeRequests()
      fake.delayNext(400)
      const payment = await billing.payments.collect({ invoice_id: invoice!.id })
      expect(payment?.status).toBe('processing')
      const reference = referenceOf(invoice!.id, 1)
      while (fake.transaction(reference) === undefined) await new Promise((r) => setTimeout(r, 10))
      setNow(JAN + 60_000 + LEASE_MS)
      const tick = await billing.tick()
      expect(tick.payments).toMatchObject([{ reference, status: 'succeeded' }])
      expect(fake.chargeRequests() - before).toBe(1)
      expect(fake.successfulCharges(reference)).toBe(1)
      expect((await invoicesOf(billing, customer))[0]!.status).toBe('paid')
      await close()
    })

    it('a charge lost before the gateway saw it stays processing until its lease ends, then is verified and charged once', async () => {
      const fake = fakes.flutterwave
      const { billing, setNow, close } = await freshBilling(target, fakes.urls)
      const card = fake.addCard({ email: 'dayo@example.com' })
      const { customer } = await subscribed(billing, 'never', 'flutterwave', card, 'dayo@example.com')
      setNow(JAN + 60_000)
      await billing.invoices.run()
      const [invoice] = await invoicesOf(billing, customer)
      const reference = referenceOf(invoice!.id, 1)
      const before = fake.chargeRequests()
      fake.dropNextChargeRequest()
      expect(await billing.payments.collect({ invoice_id: invoice!.id })).toMatchObject({
        reference,
        status: 'processing',
      })
      expect(fake.chargeRequests() - before).toBe(1)
      // Within the lease a request may still be on its way: nothing is sent again.
      setNow(JAN + 60_000 + LEASE_MS - 1)
      expect((await billing.tick()).payments).toEqual([])
      expect(fake.chargeRequests() - before).toBe(1)
      setNow(JAN + 60_000 + LEASE_MS)
      const tick = await billing.tick()
      expect(tick.payments).toMatchObject([{ reference, status: 'succeeded', attempt: 1 }])
      expect(fake.chargeRequests() - before).toBe(2)
      expect(fake.charges.filter((c) => c.reference === reference)).toHaveLength(1)
      expect((await invoicesOf(billing, customer))[0]).toMatchObject({ status: 'paid', attempt_count: 1 })
      await close()
    })
  })
}
