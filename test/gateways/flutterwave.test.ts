import { describe, expect, it } from 'vitest'
import { SignatureVerificationError, ValidationError } from '../../src/core/errors.js'
import { flutterwaveGateway } from '../../src/gateways/flutterwave/index.js'
import { FakeFlutterwave } from '../../src/testing/fakes/index.js'
import { chargeOf, type GatewayHarness, rejection, runGatewayConformance } from './gateway-conformance.js'

const EMAIL = 'ada@example.com'

async function start(): Promise<GatewayHarness & { fake: FakeFlutterwave }> {
  const fake = new FakeFlutterwave()
  const { url, close } = await fake.start()
  return {
    fake,
    url,
    close,
    gateway: (o = {}) =>
      flutterwaveGateway({
        secretKey: o.secretKey ?? fake.secretKey,
        secretHash: fake.secretHash,
        baseUrl: o.baseUrl ?? url,
        timeoutMs: o.timeoutMs ?? 2_000,
        maxRetries: o.maxRetries ?? 2,
        retryDelayMs: { base: 1, max: 5 },
      }),
  }
}

runGatewayConformance({
  name: 'flutterwave',
  wireUnit: 'major',
  pendingRedirect: true,
  webhookSignsBody: false,
  chargePath: '/v3/tokenized-charges',
  checkoutPath: '/v3/payments',
  start,
  additionalTests: (harness) => {
    const fakeOf = () => harness().fake as FakeFlutterwave

    describe('flutterwave specifics', () => {
      it('a decline in the 400 error-envelope shape is a failed charge, not a throw', async () => {
        const card = fakeOf().addCard({
          email: EMAIL,
          behaviour: { kind: 'decline', reason: 'Insufficient funds', shape: 'envelope' },
        })
        const request = chargeOf(card)
        expect(await harness().gateway().charge(request)).toEqual({
          reference: request.reference,
          status: 'failed',
          amount: request.amount,
          currency: 'NGN',
          gateway_id: null,
          message: 'Insufficient funds',
          redirect_url: null,
        })
      })

      it('a decline in the data shape carries the id and processor_response', async () => {
        const card = fakeOf().addCard({ email: EMAIL, behaviour: { kind: 'decline', reason: 'DECLINED' } })
        const result = await harness().gateway().charge(chargeOf(card))
        expect(result).toMatchObject({ status: 'failed', message: 'DECLINED' })
        expect(result.gateway_id).toMatch(/^\d+$/)
      })

      it('a 400 that is not a decline (a bad token) is a GatewayError', async () => {
        const error = await rejection(harness().gateway().charge(chargeOf('flw-t1nf-unknown')))
        expect(error).toMatchObject({ gateway_code: 'validation_error', http_status: 400, retryable: false })
      })

      it('a server fault in the app_error shape keeps its code', async () => {
        fakeOf().failNext(3, { status: 500 })
        const error = await rejection(harness().gateway().verify('inv-1', 'NGN'))
        expect(error).toMatchObject({ gateway_code: 'app_error', http_status: 500, retryable: true })
      })

      it('accepts the legacy flat webhook shape', async () => {
        const gateway = harness().gateway()
        const charged = await gateway.charge(
          chargeOf(fakeOf().addCard({ email: EMAIL }), { amount: 123_450 }),
        )
        const { rawBody, headers } = fakeOf().signedWebhook(
          fakeOf().chargeEvent(charged.reference, { shape: 'legacy' }),
        )
        expect(gateway.parseWebhook(rawBody, headers)).toEqual({
          type: 'charge',
          event: 'CARD_TRANSACTION',
          charge: { ...charged, message: null },
        })
      })

      it('reads the documented charge.completed body, which carries a top-level event.type key', async () => {
        const gateway = harness().gateway()
        const card = fakeOf().addCard({ email: EMAIL, behaviour: 'pending_3ds' })
        const pending = await gateway.charge(chargeOf(card))
        for (const outcome of ['failed', 'succeeded'] as const) {
          const reference =
            outcome === 'failed' ? pending.reference : (await gateway.charge(chargeOf(card))).reference
          fakeOf().settle(reference, outcome)
          const event = fakeOf().chargeEvent(reference)
          expect(event).toMatchObject({ event: 'charge.completed', 'event.type': 'CARD_TRANSACTION' })
          const { rawBody, headers } = fakeOf().signedWebhook(event)
          expect(gateway.parseWebhook(rawBody, headers)).toMatchObject({
            type: 'charge',
            event: 'charge.completed',
            charge: { reference, status: outcome, amount: 500_000, currency: 'NGN' },
          })
        }
      })

      it('checks flutterwave-signature over the raw body when it is sent', async () => {
        const gateway = harness().gateway()
        const charged = await gateway.charge(chargeOf(fakeOf().addCard({ email: EMAIL })))
        const event = fakeOf().chargeEvent(charged.reference)
        const { rawBody, headers } = fakeOf().signedWebhook(event, { signature: true })
        expect(gateway.parseWebhook(rawBody, headers).type).toBe('charge')
        // Same verif-hash, different body: only the signature can tell.
        const other = ` ${rawBody}`
        expect(() => gateway.parseWebhook(other, headers)).toThrow(SignatureVerificationError)
        expect(gateway.parseWebhook(other, { 'verif-hash': headers['verif-hash'] }).type).toBe('charge')
      })

      it('ignores events other than completed charges', () => {
        const { rawBody, headers } = fakeOf().signedWebhook({ event: 'transfer.completed', data: {} })
        expect(harness().gateway().parseWebhook(rawBody, headers)).toEqual({
          type: 'ignored',
          event: 'transfer.completed',
        })
      })

      it('a refund needs the numeric gateway id', async () => {
        const refund = harness().gateway().refund({ reference: 'inv-1', gateway_id: null, currency: 'NGN' })
        await expect(refund).rejects.toBeInstanceOf(ValidationError)
      })
    })
  },
})
