import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConflictError, GatewayError, ValidationError } from '../../src/index.js'
import { memoryTarget, sqliteTarget } from '../support/targets.js'
import { type Fakes, freshBilling, JAN, startFakes, subscribed } from './payment-fixture.js'

// A refund is asked of the gateway once: it is recorded on the payment (compare-and-set) before the
// gateway is called, so a retry after a lost answer, concurrent callers and a redelivered webhook
// never refund the customer twice.
for (const target of [memoryTarget, sqliteTarget]) {
  describe(`refunds exactly once on ${target.name}`, () => {
    let fakes: Fakes
    beforeAll(async () => {
      fakes = await startFakes()
    })
    afterAll(async () => {
      await fakes?.close()
    })

    /** A billing instance with one successful ₦5,000 payment at `gateway`. */
    async function paidPayment(ns: string, gateway: 'paystack' | 'flutterwave', options = {}) {
      const fresh = await freshBilling(target, fakes.urls, options)
      const email = `${ns}@example.com`
      const card = fakes[gateway].addCard({ email })
      await subscribed(fresh.billing, ns, gateway, card, email)
      fresh.setNow(JAN + 60_000)
      const [paid] = (await fresh.billing.tick()).payments
      expect(paid?.status).toBe('succeeded')
      return { ...fresh, paid: paid! }
    }

    const paystackRefundsOf = (reference: string) =>
      fakes.paystack.refunds.filter((r) => r.reference === reference)
    const flutterwaveRefundsOf = (reference: string) =>
      fakes.flutterwave.refunds.filter((r) => r.reference === reference)

    it('paystack: a timeout after refunding, then a retry: one refund at the gateway, settled by its webhook', async () => {
      const { billing, paid, close } = await paidPayment('slowrefund', 'paystack', { timeoutMs: 1000 })
      // Performed, but answered long after the 1 s client timeout (which a loaded machine's setup charge still meets).
      fakes.paystack.delayNext(2500)
      const first = await billing.payments.refund({ payment_id: paid.id, amount: 1000 })
      expect(first.refunds).toMatchObject([{ status: 'requested', amount: 1000, id: null }])
      expect(first.amount_refunded).toBe(1000)
      while (paystackRefundsOf(paid.reference).length === 0) await new Promise((r) => setTimeout(r, 10))

      const retry = await billing.payments.refund({ payment_id: paid.id, amount: 1000 })
      expect(retry.refunds).toHaveLength(1)
      expect(paystackRefundsOf(paid.reference)).toHaveLength(1)
      // Another refund while this one's outcome is unknown would be a guess: refused, typed.
      const other = billing.payments.refund({ payment_id: paid.id, amount: 2000 })
      await expect(other).rejects.toBeInstanceOf(ConflictError)
      await expect(other).rejects.toMatchObject({ code: 'REFUND_IN_PROGRESS' })

      const refundId = paystackRefundsOf(paid.reference)[0]!.id
      const deliver = async (event: unknown) => {
        const { rawBody, headers } = fakes.paystack.signedWebhook(event)
        return billing.webhooks.handle({ gateway: 'paystack', raw_body: rawBody, headers })
      }
      const pending = fakes.paystack.refundEvent(refundId)
      expect((await deliver(pending)).status).toBe('applied')
      expect((await billing.payments.get(paid.id)).refunds).toMatchObject([
        { status: 'pending', id: String(refundId) },
      ])
      fakes.paystack.settleRefund(refundId, 'processed')
      const processed = fakes.paystack.refundEvent(refundId)
      expect((await deliver(processed)).status).toBe('applied')
      const settled = await billing.payments.get(paid.id)
      expect(settled).toMatchObject({ amount_refunded: 1000, refunds: [{ status: 'succeeded' }] })
      // Redelivered later, in any order: nothing changes.
      expect((await deliver(processed)).status).toBe('duplicate')
      expect((await deliver(pending)).status).toBe('duplicate')
      expect(await billing.payments.get(paid.id)).toEqual(settled)
      expect(paystackRefundsOf(paid.reference)).toHaveLength(1)
      await close()
    })

    it('flutterwave: a 5xx after refunding leaves the refund requested; a retry sends nothing', async () => {
      const { billing, paid, close } = await paidPayment('flwrefund', 'flutterwave')
      fakes.flutterwave.failNext(1, {
        status: 502,
        path: `/v3/transactions/${paid.gateway_id}/refund`,
        after: true,
      })
      const first = await billing.payments.refund({ payment_id: paid.id, amount: 1500 })
      expect(first.refunds).toMatchObject([{ status: 'requested', amount: 1500 }])
      const retry = await billing.payments.refund({ payment_id: paid.id, amount: 1500 })
      expect(retry).toEqual(first)
      expect(flutterwaveRefundsOf(paid.reference)).toHaveLength(1)
      await close()
    })

    it('concurrent refunds of one payment in one process: one gateway refund, every caller sees it', async () => {
      const { billing, paid, close } = await paidPayment('together', 'paystack')
      const results = await Promise.all(
        Array.from({ length: 8 }, () => billing.payments.refund({ payment_id: paid.id, amount: 2500 })),
      )
      expect(paystackRefundsOf(paid.reference)).toHaveLength(1)
      for (const payment of results) expect(payment.refunds).toHaveLength(1)
      expect(await billing.payments.get(paid.id)).toMatchObject({
        amount_refunded: 2500,
        refunds: [{ status: 'pending', amount: 2500, reference: `${paid.reference}-r1` }],
      })
      await close()
    })

    it('concurrent whole refunds: one gateway refund; the rest find it or nothing left (INVALID_REFUND)', async () => {
      const { billing, paid, close } = await paidPayment('whole', 'paystack')
      const outcomes = await Promise.allSettled(
        Array.from({ length: 5 }, () => billing.payments.refund({ payment_id: paid.id })),
      )
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'INVALID_REFUND' })
      }
      expect(paystackRefundsOf(paid.reference)).toHaveLength(1)
      expect(await billing.payments.get(paid.id)).toMatchObject({ amount_refunded: 500000 })
      await close()
    })

    it('an idempotency_key makes a refund call repeatable forever; another key is another refund', async () => {
      const { billing, paid, close } = await paidPayment('keyed', 'paystack')
      const first = await billing.payments.refund({
        payment_id: paid.id,
        amount: 1000,
        idempotency_key: 'tk-1',
      })
      expect(first.refunds).toMatchObject([{ status: 'pending', idempotency_key: 'tk-1' }])
      expect(
        await billing.payments.refund({ payment_id: paid.id, amount: 1000, idempotency_key: 'tk-1' }),
      ).toEqual(first)
      expect(await billing.payments.refund({ payment_id: paid.id, idempotency_key: 'tk-1' })).toEqual(first)
      await expect(
        billing.payments.refund({ payment_id: paid.id, amount: 999, idempotency_key: 'tk-1' }),
      ).rejects.toMatchObject({ code: 'IDEMPOTENCY_CONFLICT', details: { path: 'idempotency_key' } })
      const second = await billing.payments.refund({
        payment_id: paid.id,
        amount: 1000,
        idempotency_key: 'tk-2',
      })
      expect(second).toMatchObject({ amount_refunded: 2000, refunds: [{ amount: 1000 }, { amount: 1000 }] })
      expect(paystackRefundsOf(paid.reference)).toHaveLength(2)
      await expect(
        billing.payments.refund({ payment_id: paid.id, amount: 1, idempotency_key: '' }),
      ).rejects.toMatchObject({ code: 'INVALID_IDEMPOTENCY_KEY' })
      await close()
    })

    it('an over-refund is refused with a typed error and sends nothing', async () => {
      const { billing, paid, close } = await paidPayment('over', 'paystack')
      await billing.payments.refund({ payment_id: paid.id, amount: 400000 })
      const over = billing.payments.refund({ payment_id: paid.id, amount: 100001 })
      await expect(over).rejects.toBeInstanceOf(ValidationError)
      await expect(over).rejects.toMatchObject({
        code: 'INVALID_REFUND',
        details: { path: 'amount', left: 100000 },
      })
      expect(paystackRefundsOf(paid.reference)).toHaveLength(1)
      await close()
    })

    it('a refusal (400) or a 429 releases the held amount and is thrown; the next call refunds', async () => {
      const { billing, paid, close } = await paidPayment('refused', 'paystack')
      fakes.paystack.failNext(1, {
        status: 400,
        path: '/refund',
        body: { status: false, message: 'Refund not allowed', type: 'validation_error' },
      })
      await expect(billing.payments.refund({ payment_id: paid.id, amount: 1000 })).rejects.toBeInstanceOf(
        GatewayError,
      )
      expect(await billing.payments.get(paid.id)).toMatchObject({ amount_refunded: 0, refunds: [] })
      fakes.paystack.failNext(3, { status: 429, path: '/refund' })
      await expect(billing.payments.refund({ payment_id: paid.id, amount: 1000 })).rejects.toMatchObject({
        retryable: true,
        http_status: 429,
      })
      expect(await billing.payments.get(paid.id)).toMatchObject({ amount_refunded: 0, refunds: [] })
      const done = await billing.payments.refund({ payment_id: paid.id, amount: 1000 })
      expect(done.refunds).toMatchObject([{ status: 'pending', reference: `${paid.reference}-r1` }])
      expect(paystackRefundsOf(paid.reference)).toHaveLength(1)
      await close()
    })
  })
}
