import { describe, expect, it } from 'vitest'
import { paystackGateway } from '../../src/gateways/paystack/index.js'
import { FakePaystack } from '../../src/testing/fakes/index.js'
import { chargeOf, type GatewayHarness, rejection, runGatewayConformance } from './gateway-conformance.js'

const EMAIL = 'ada@example.com'

async function start(options: { now?: () => number } = {}): Promise<GatewayHarness & { fake: FakePaystack }> {
  const fake = new FakePaystack(options)
  const { url, close } = await fake.start()
  return {
    fake,
    url,
    close,
    gateway: (o = {}) =>
      paystackGateway({
        secretKey: o.secretKey ?? fake.secretKey,
        baseUrl: o.baseUrl ?? url,
        timeoutMs: o.timeoutMs ?? 2_000,
        maxRetries: o.maxRetries ?? 2,
        retryDelayMs: { base: 1, max: 5 },
      }),
  }
}

runGatewayConformance({
  name: 'paystack',
  wireUnit: 'minor',
  pendingRedirect: false,
  webhookSignsBody: true,
  chargePath: '/transaction/charge_authorization',
  checkoutPath: '/transaction/initialize',
  start,
  additionalTests: (harness) => {
    const fakeOf = () => harness().fake as FakePaystack

    describe('paystack specifics', () => {
      it('keeps 64-bit transaction ids exact', async () => {
        const result = await harness()
          .gateway()
          .charge(chargeOf(fakeOf().addCard({ email: EMAIL })))
        expect(result.gateway_id).toBe(fakeOf().transaction(result.reference)?.id)
        expect(BigInt(result.gateway_id ?? '0')).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER))
      })

      it('a non-reusable first payment yields no authorization', async () => {
        const { reference } = fakeOf().firstPayment({
          email: EMAIL,
          amount: 5_000,
          currency: 'NGN',
          reusable: false,
        })
        expect(await harness().gateway().verifyAuthorization(reference)).toMatchObject({
          reusable: false,
          authorization: null,
        })
      })

      it('the card regulator is a decline carrying its retry instant, not a throw', async () => {
        const gateway = harness().gateway()
        const card = fakeOf().addCard({
          email: EMAIL,
          behaviour: { kind: 'decline', reason: 'Do Not Honor' },
        })
        for (let i = 0; i < 10; i++) expect((await gateway.charge(chargeOf(card))).status).toBe('failed')
        const request = chargeOf(card)
        const held = await gateway.charge(request)
        expect(held).toMatchObject({ status: 'failed', gateway_id: null, reference: request.reference })
        expect(held.message).toMatch(/^Charge cannot be fulfilled until \d{4}-/)
        expect(await gateway.verify(request.reference, 'NGN')).toBeNull()
      })

      it('lets a regulated card try once again after 24 hours', async () => {
        let now = Date.parse('2025-01-01T00:00:00Z')
        const h = await start({ now: () => now })
        try {
          const gateway = h.gateway()
          const card = h.fake.addCard({
            email: EMAIL,
            behaviour: { kind: 'insufficient_funds_then_approve', after: 10 },
          })
          for (let i = 0; i < 10; i++) await gateway.charge(chargeOf(card))
          expect((await gateway.charge(chargeOf(card))).message).toMatch(/2025-01-02T00:00:00/)
          now += 24 * 60 * 60 * 1000
          expect((await gateway.charge(chargeOf(card))).status).toBe('succeeded')
        } finally {
          await h.close()
        }
      })

      it('parses refund webhooks and ignores events billing does not use', async () => {
        const gateway = harness().gateway()
        const charged = await gateway.charge(chargeOf(fakeOf().addCard({ email: EMAIL })))
        const refund = await gateway.refund({
          reference: charged.reference,
          gateway_id: null,
          amount: 20_000,
          currency: 'NGN',
        })
        expect(refund).toMatchObject({ status: 'pending', amount: 20_000 })
        const id = Number(refund.refund_id)
        fakeOf().settleRefund(id, 'processed')
        const { rawBody, headers } = fakeOf().signedWebhook(fakeOf().refundEvent(id))
        expect(gateway.parseWebhook(rawBody, headers)).toEqual({
          type: 'refund',
          event: 'refund.processed',
          reference: charged.reference,
          refund_id: refund.refund_id,
          status: 'succeeded',
          amount: 20_000,
        })
        const dispute = fakeOf().signedWebhook({ event: 'charge.dispute.create', data: {} })
        expect(gateway.parseWebhook(dispute.rawBody, dispute.headers)).toEqual({
          type: 'ignored',
          event: 'charge.dispute.create',
        })
      })

      it('a bad authorization keeps Paystack type as its code', async () => {
        const error = await rejection(harness().gateway().charge(chargeOf('AUTH_missing')))
        expect(error).toMatchObject({ gateway_code: 'validation_error', http_status: 400 })
      })
    })
  },
})
