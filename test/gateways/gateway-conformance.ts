/**
 * The conformance suite every PaymentGateway adapter runs against its local fake server
 * (`src/testing/fakes/`): charges and their awkward answers, verify, idempotency under retries and lost
 * answers, exact amounts, refunds, webhook signatures, and secrets kept out of every error.
 *
 *   runGatewayConformance({ name: 'paystack', wireUnit: 'minor', start: async () => { ... } })
 */
import { inspect } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { GatewayError, SignatureVerificationError, ValidationError } from '../../src/core/errors.js'
import type { PaymentGateway } from '../../src/core/payments/gateway-port.js'
import { checkoutConformance } from './checkout-conformance.js'
import {
  chargeOf,
  closedPort,
  EMAIL,
  expectNoEcho,
  expectNoSecret,
  type GatewayHarness,
  type GatewayTarget,
  reference,
  rejection,
  secretEchoes,
  until,
} from './conformance-harness.js'

export * from './conformance-harness.js'

/**
 * Runs the whole suite against one gateway.
 *
 * @example
 * runGatewayConformance(paystackTarget)
 */
export function runGatewayConformance(target: GatewayTarget): void {
  describe(`${target.name} gateway conformance`, () => {
    let h: GatewayHarness
    let gateway: PaymentGateway
    beforeEach(async () => {
      h = await target.start()
      gateway = h.gateway()
    })
    afterEach(async () => {
      await h.close()
    })
    const chargeRequests = () => h.fake.requests.filter((r) => r.path.startsWith(target.chargePath)).length

    describe('charge', () => {
      it('approves: succeeded, exact amount, gateway id as a string', async () => {
        const request = chargeOf(h.fake.addCard({ email: EMAIL }))
        const result = await gateway.charge(request)
        expect(result).toMatchObject({
          reference: request.reference,
          status: 'succeeded',
          amount: 500_000,
          currency: 'NGN',
        })
        expect(typeof result.gateway_id).toBe('string')
        expect(h.fake.successfulCharges(request.reference)).toBe(1)
      })

      it('declines without throwing, with the processor reason', async () => {
        const card = h.fake.addCard({ email: EMAIL, behaviour: { kind: 'decline', reason: 'Do Not Honor' } })
        const request = chargeOf(card)
        const result = await gateway.charge(request)
        expect(result).toMatchObject({ status: 'failed', message: 'Do Not Honor', amount: 500_000 })
        expect(h.fake.successfulCharges(request.reference)).toBe(0)
        expect(chargeRequests()).toBe(1)
      })

      it('insufficient funds, then approved on a later attempt with a new reference', async () => {
        const card = h.fake.addCard({
          email: EMAIL,
          behaviour: { kind: 'insufficient_funds_then_approve', after: 1 },
        })
        const first = await gateway.charge(chargeOf(card))
        expect(first).toMatchObject({ status: 'failed', message: 'Insufficient Funds' })
        expect((await gateway.charge(chargeOf(card))).status).toBe('succeeded')
      })

      it('leaves a 3-D Secure charge pending until it settles', async () => {
        const request = chargeOf(h.fake.addCard({ email: EMAIL, behaviour: 'pending_3ds' }))
        const result = await gateway.charge(request)
        expect(result.status).toBe('pending')
        if (target.pendingRedirect) expect(result.redirect_url).toMatch(/^https?:\/\//)
        expect((await gateway.verify(request.reference, 'NGN'))?.status).toBe('pending')
        h.fake.settle(request.reference, 'succeeded')
        expect((await gateway.verify(request.reference, 'NGN'))?.status).toBe('succeeded')
      })

      it('an unknown authorization is a non-retryable GatewayError', async () => {
        const error = await rejection(gateway.charge(chargeOf('AUTH_doesnotexist')))
        expect(error).toBeInstanceOf(GatewayError)
        expect(error).toMatchObject({
          code: 'GATEWAY_ERROR',
          gateway: target.name,
          http_status: 400,
          retryable: false,
        })
      })

      it('an authorization owned by another email is a non-retryable GatewayError', async () => {
        const card = h.fake.addCard({ email: 'someone@else.com' })
        const error = await rejection(gateway.charge(chargeOf(card)))
        expect(error).toMatchObject({ http_status: 400, retryable: false })
      })

      it('refuses a malformed request before sending it', async () => {
        const card = h.fake.addCard({ email: EMAIL })
        await expect(gateway.charge(chargeOf(card, { reference: 'inv_1' }))).rejects.toBeInstanceOf(
          ValidationError,
        )
        await expect(gateway.charge(chargeOf(card, { amount: 10.5 }))).rejects.toBeInstanceOf(ValidationError)
        expect(chargeRequests()).toBe(0)
      })
    })

    describe('verify', () => {
      it('finds a charge by reference', async () => {
        const request = chargeOf(h.fake.addCard({ email: EMAIL }))
        const charged = await gateway.charge(request)
        expect(await gateway.verify(request.reference, 'NGN')).toEqual(charged)
      })

      it.each([404, 400] as const)('an unknown reference answered with %i is null', async (status) => {
        h.fake.notFoundStatus = status
        expect(await gateway.verify(reference(), 'NGN')).toBeNull()
      })

      it('a currency other than the one charged is a GatewayError', async () => {
        const request = chargeOf(h.fake.addCard({ email: EMAIL }))
        await gateway.charge(request)
        await expect(gateway.verify(request.reference, 'GHS')).rejects.toMatchObject({ retryable: false })
      })
    })

    describe('idempotency', () => {
      it('charging a reference again returns the first charge, never a second', async () => {
        const request = chargeOf(h.fake.addCard({ email: EMAIL }))
        const first = await gateway.charge(request)
        expect(await gateway.charge(request)).toEqual(first)
        expect(h.fake.successfulCharges(request.reference)).toBe(1)
      })

      it('a reused reference with a different amount is a GatewayError', async () => {
        const request = chargeOf(h.fake.addCard({ email: EMAIL }))
        await gateway.charge(request)
        const error = await rejection(gateway.charge({ ...request, amount: 600_000 }))
        expect(error).toMatchObject({ gateway_code: 'reference_conflict', retryable: false })
      })

      it('a 429 (not processed) is sent again with the same reference, then succeeds once', async () => {
        const request = chargeOf(h.fake.addCard({ email: EMAIL }))
        h.fake.failNext(2, { status: 429 })
        expect((await gateway.charge(request)).status).toBe('succeeded')
        expect(chargeRequests()).toBe(3)
        expect(h.fake.charges.filter((c) => c.reference === request.reference)).toHaveLength(1)
        expect(h.fake.successfulCharges(request.reference)).toBe(1)
      })

      it.each([500, 502, 503])(
        'a %i after the gateway charged is never resent: verify settles it',
        async (status) => {
          const request = chargeOf(h.fake.addCard({ email: EMAIL }))
          h.fake.failNextChargeAfterCharging(status)
          const result = await gateway.charge(request)
          expect(result).toMatchObject({ reference: request.reference, status: 'succeeded', amount: 500_000 })
          expect(chargeRequests()).toBe(1)
          expect(h.fake.successfulCharges(request.reference)).toBe(1)
        },
      )

      it('a 5xx before anything was charged is sent once and stays a retryable GatewayError', async () => {
        const request = chargeOf(h.fake.addCard({ email: EMAIL }))
        h.fake.failNext(3, { status: 503, path: target.chargePath })
        const error = await rejection(gateway.charge(request))
        expect(error).toMatchObject({ http_status: 503, retryable: true })
        expect(chargeRequests()).toBe(1)
        expect(h.fake.successfulCharges(request.reference)).toBe(0)
        expect(await gateway.verify(request.reference, 'NGN')).toBeNull()
      })

      it('a timeout is never resent: one charge request, and verify settles the outcome', async () => {
        const slow = h.gateway({ timeoutMs: 40 })
        const request = chargeOf(h.fake.addCard({ email: EMAIL }))
        h.fake.delayNext(150)
        const error = await rejection(slow.charge(request))
        expect(error).toMatchObject({ gateway_code: 'timeout', http_status: null, retryable: true })
        await until(() => h.fake.charges.length === 1)
        expect(chargeRequests()).toBe(1)
        expect((await gateway.verify(request.reference, 'NGN'))?.status).toBe('succeeded')
        expect(h.fake.successfulCharges(request.reference)).toBe(1)
      })

      it('a lost answer is settled by verify, never by a second charge request', async () => {
        const request = chargeOf(h.fake.addCard({ email: EMAIL }))
        h.fake.dropNextChargeResponse()
        const result = await gateway.charge(request)
        expect(result).toMatchObject({ reference: request.reference, status: 'succeeded', amount: 500_000 })
        expect(chargeRequests()).toBe(1)
        expect(h.fake.successfulCharges(request.reference)).toBe(1)
      })

      it('a request lost before the gateway charged is sent once and stays a retryable GatewayError', async () => {
        const request = chargeOf(h.fake.addCard({ email: EMAIL }))
        h.fake.dropNextChargeRequest()
        expect(await rejection(gateway.charge(request))).toMatchObject({
          gateway_code: 'network_error',
          retryable: true,
        })
        expect(chargeRequests()).toBe(1)
        expect(h.fake.charges).toHaveLength(0)
        expect(await gateway.verify(request.reference, 'NGN')).toBeNull()
      })
    })

    describe('amounts', () => {
      it.each([
        { minor: 123_450, currency: 'NGN', major: 1234.5 },
        { minor: 1, currency: 'NGN', major: 0.01 },
        { minor: 999_999_999, currency: 'NGN', major: 9_999_999.99 },
        { minor: 1000, currency: 'UGX', major: 1000 },
        { minor: 1500, currency: 'KWD', major: 1.5 },
      ])('$minor minor $currency travels exactly', async ({ minor, currency, major }) => {
        const request = chargeOf(h.fake.addCard({ email: EMAIL }), { amount: minor, currency })
        const result = await gateway.charge(request)
        expect(result).toMatchObject({ status: 'succeeded', amount: minor, currency })
        expect(h.fake.charges.at(-1)?.amount).toBe(target.wireUnit === 'minor' ? minor : major)
        expect((await gateway.verify(request.reference, currency))?.amount).toBe(minor)
      })
    })

    describe('verifyAuthorization', () => {
      it('returns the reusable card of a first payment', async () => {
        const { reference: ref, authorization } = h.fake.firstPayment({
          email: EMAIL,
          amount: 5_000,
          currency: 'NGN',
        })
        const result = await gateway.verifyAuthorization(ref)
        expect(result).toMatchObject({
          reference: ref,
          status: 'succeeded',
          reusable: true,
          authorization,
          email: EMAIL,
        })
        expect(result?.amount).toBe(5_000)
        expect(result?.card?.last4).toMatch(/^\d{4}$/)
        expect((await gateway.charge(chargeOf(authorization))).status).toBe('succeeded')
      })

      it('is null for an unknown reference', async () => {
        expect(await gateway.verifyAuthorization(reference())).toBeNull()
      })
    })

    describe('refund', () => {
      it('refunds a whole charge', async () => {
        const charged = await gateway.charge(chargeOf(h.fake.addCard({ email: EMAIL }), { amount: 123_450 }))
        const refund = await gateway.refund({
          reference: charged.reference,
          gateway_id: charged.gateway_id,
          currency: 'NGN',
        })
        expect(['pending', 'succeeded']).toContain(refund.status)
        expect(refund.amount).toBe(123_450)
        expect(typeof refund.refund_id).toBe('string')
      })

      it('refunds part of a charge, exactly, and refuses more than is left', async () => {
        const charged = await gateway.charge(chargeOf(h.fake.addCard({ email: EMAIL }), { amount: 123_450 }))
        const base = { reference: charged.reference, gateway_id: charged.gateway_id, currency: 'NGN' }
        expect((await gateway.refund({ ...base, amount: 3_001 })).amount).toBe(3_001)
        const error = await rejection(gateway.refund({ ...base, amount: 123_450 }))
        expect(error).toMatchObject({ http_status: 400, retryable: false })
      })
    })

    describe('webhooks', () => {
      it('parses a genuine charge event, from a string or bytes, with either header shape', async () => {
        const charged = await gateway.charge(chargeOf(h.fake.addCard({ email: EMAIL }), { amount: 123_450 }))
        const { rawBody, headers } = h.fake.signedWebhook(h.fake.chargeEvent(charged.reference))
        const expected = {
          type: 'charge',
          charge: {
            reference: charged.reference,
            status: 'succeeded',
            amount: 123_450,
            currency: 'NGN',
            gateway_id: charged.gateway_id,
          },
        }
        expect(gateway.parseWebhook(rawBody, headers)).toMatchObject(expected)
        expect(gateway.parseWebhook(new TextEncoder().encode(rawBody), new Headers(headers))).toMatchObject(
          expected,
        )
      })

      it('refuses a tampered body (where signed), a wrong signature and a missing one', async () => {
        const charged = await gateway.charge(chargeOf(h.fake.addCard({ email: EMAIL })))
        const { rawBody, headers } = h.fake.signedWebhook(h.fake.chargeEvent(charged.reference))
        const tampered = rawBody.replace(charged.reference, `${charged.reference}0`)
        expect(tampered).not.toBe(rawBody)
        const wrong = Object.fromEntries(
          Object.entries(headers).map(([k, v]) => [k, k === 'content-type' ? v : `${v}x`]),
        )
        const missing = { 'content-type': 'application/json' }
        const cases = [
          [tampered, headers],
          [rawBody, wrong],
          [rawBody, missing],
        ] as const
        for (const [body, hdrs] of target.webhookSignsBody ? cases : cases.slice(1)) {
          expect(() => gateway.parseWebhook(body, hdrs)).toThrow(SignatureVerificationError)
        }
      })
    })

    describe('secrets', () => {
      const failures: Array<
        [string, (h: GatewayHarness) => Promise<{ gateway: PaymentGateway; secret: string }>]
      > = [
        [
          '401 (a wrong key)',
          async (h) => ({
            gateway: h.gateway({ secretKey: `${h.fake.secretKey}WRONG` }),
            secret: `${h.fake.secretKey}WRONG`,
          }),
        ],
        [
          '500 echoing the key',
          async (h) => {
            h.fake.failNext(3, {
              status: 500,
              body: {
                status: false,
                message: `upstream rejected Bearer ${h.fake.secretKey}`,
                echo: h.fake.secretKey,
              },
            })
            return { gateway: h.gateway(), secret: h.fake.secretKey }
          },
        ],
        [
          'a refused connection',
          async (h) => ({ gateway: h.gateway({ baseUrl: await closedPort() }), secret: h.fake.secretKey }),
        ],
        [
          'a timeout',
          async (h) => {
            h.fake.delayNext(150)
            return { gateway: h.gateway({ timeoutMs: 30, maxRetries: 0 }), secret: h.fake.secretKey }
          },
        ],
      ]

      it.each(failures)('never appear in the error of %s', async (_label, setup) => {
        const { gateway: g, secret } = await setup(h)
        const error = await rejection(g.charge(chargeOf('AUTH_x')))
        expectNoSecret(error, secret)
        expect(inspect(g, { depth: 10 })).not.toContain(secret)
      })

      it('a 401 is a non-retryable GatewayError', async () => {
        const error = await rejection(h.gateway({ secretKey: 'sk_wrong' }).verify(reference(), 'NGN'))
        expect(error).toMatchObject({ http_status: 401, retryable: false, gateway_code: 'unauthorized' })
      })

      it('never appear in any spelling the provider echoes: encoded, upper-cased, unprefixed, in part', async () => {
        const secret = h.fake.secretKey
        const echo = secretEchoes(secret).join(' | ')
        h.fake.failNext(1, {
          status: 400,
          body: { status: false, message: echo, data: { echo }, code: echo },
        })
        const error = await rejection(gateway.charge(chargeOf(h.fake.addCard({ email: EMAIL }))))
        expectNoSecret(error, secret)
        for (const text of [String(error), JSON.stringify(error), inspect(error, { depth: 10 })]) {
          expectNoEcho(text, secret)
        }
      })
    })

    describe('merchant errors', () => {
      it.each([401, 403])(
        'a %i on a charge is GATEWAY_MERCHANT_ERROR, keeping the gateway code',
        async (status) => {
          h.fake.failNext(1, { status, path: target.chargePath })
          const error = await rejection(gateway.charge(chargeOf(h.fake.addCard({ email: EMAIL }))))
          expect(error).toBeInstanceOf(GatewayError)
          expect(error).toMatchObject({ code: 'GATEWAY_MERCHANT_ERROR', merchant: true, retryable: false })
          expect((error as GatewayError).gateway_code).toBeTruthy()
          expect(chargeRequests()).toBe(1)
          expect(h.fake.charges).toHaveLength(0)
        },
      )

      it('a wrong key is GATEWAY_MERCHANT_ERROR on charge and verify, code unauthorized', async () => {
        const wrong = h.gateway({ secretKey: `${h.fake.secretKey}-revoked` })
        const card = h.fake.addCard({ email: EMAIL })
        for (const attempt of [() => wrong.charge(chargeOf(card)), () => wrong.verify(reference(), 'NGN')]) {
          expect(await rejection(attempt())).toMatchObject({
            code: 'GATEWAY_MERCHANT_ERROR',
            http_status: 401,
            gateway_code: 'unauthorized',
            retryable: false,
          })
        }
      })

      it('a decline stays a customer outcome, not a merchant error', async () => {
        const card = h.fake.addCard({
          email: EMAIL,
          behaviour: { kind: 'decline', reason: 'Insufficient Funds' },
        })
        expect((await gateway.charge(chargeOf(card))).status).toBe('failed')
      })
    })

    checkoutConformance(target, () => h)
    target.additionalTests?.(() => h)
  })
}
