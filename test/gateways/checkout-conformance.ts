/**
 * The hosted-checkout part of the gateway conformance suite: `initializeCheckout` against each fake,
 * the page a customer pays, the webhook that payment fires, and the same error rules as charges
 * (typed, secret-free, a lost answer never resent).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { GatewayError, ValidationError } from '../../src/core/errors.js'
import type { CheckoutRequest, PaymentGateway } from '../../src/core/payments/gateway-port.js'
import {
  EMAIL,
  expectNoSecret,
  type GatewayHarness,
  type GatewayTarget,
  reference,
  rejection,
} from './conformance-harness.js'

const CALLBACK = 'https://shop.example.ng/billing/paid?from=kobometer'

function checkoutOf(overrides: Partial<CheckoutRequest> = {}): CheckoutRequest {
  return {
    reference: reference(),
    amount: 123_450,
    currency: 'NGN',
    email: EMAIL,
    callback_url: CALLBACK,
    ...overrides,
  }
}

function initialize(gateway: PaymentGateway, request: CheckoutRequest) {
  if (gateway.initializeCheckout === undefined) throw new Error(`${gateway.name} has no initializeCheckout`)
  return gateway.initializeCheckout(request)
}

// A webhook endpoint that keeps what it receives, byte for byte.
async function receiver(): Promise<{
  url: string
  received: Array<{ rawBody: string; headers: IncomingHttpHeaders }>
  close(): Promise<void>
}> {
  const received: Array<{ rawBody: string; headers: IncomingHttpHeaders }> = []
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    received.push({ rawBody: Buffer.concat(chunks).toString('utf8'), headers: req.headers })
    res.writeHead(200).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/**
 * Registers the checkout tests of one gateway on the conformance suite's per-test harness.
 *
 * @example
 * checkoutConformance(target, () => h)
 */
export function checkoutConformance(target: GatewayTarget, harness: () => GatewayHarness): void {
  describe('checkout', () => {
    const pathRequests = () =>
      harness().fake.requests.filter((r) => r.method === 'POST' && r.path === target.checkoutPath).length

    it('opens a hosted page under our reference, for the exact amount in the wire unit', async () => {
      const h = harness()
      const request = checkoutOf()
      const session = await initialize(h.gateway(), request)
      expect(session.reference).toBe(request.reference)
      expect(session.url.startsWith(`${h.url}/checkout/`)).toBe(true)
      expect(pathRequests()).toBe(1)
      const page = (await (await fetch(session.url)).json()) as Record<string, unknown>
      expect(page).toMatchObject({ reference: request.reference, currency: 'NGN', email: EMAIL, paid: false })
      expect(page.amount).toBe(target.wireUnit === 'minor' ? 123_450 : 1234.5)
    })

    it('before the customer pays nothing has succeeded; once paid, verify and verifyAuthorization see it', async () => {
      const h = harness()
      const gateway = h.gateway()
      const request = checkoutOf()
      const session = await initialize(gateway, request)
      expect((await gateway.verify(request.reference, 'NGN'))?.status ?? 'unknown').not.toBe('succeeded')
      const res = await fetch(session.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
      expect(res.status).toBe(200)
      const paid = (await res.json()) as { status: string; redirect_url: string }
      expect(paid.status).toBe('succeeded')
      expect(paid.redirect_url.startsWith('https://shop.example.ng/billing/paid?from=kobometer&')).toBe(true)
      expect(new URL(paid.redirect_url).search).toContain(request.reference)
      expect(await gateway.verify(request.reference, 'NGN')).toMatchObject({
        reference: request.reference,
        status: 'succeeded',
        amount: 123_450,
        currency: 'NGN',
      })
      const card = await gateway.verifyAuthorization(request.reference)
      expect(card).toMatchObject({ status: 'succeeded', reusable: true, email: EMAIL, amount: 123_450 })
      expect((await fetch(session.url, { method: 'POST' })).status).toBe(409)
    })

    it("a paid page sends the provider's signed charge webhook to webhookUrl", async () => {
      const h = harness()
      const endpoint = await receiver()
      try {
        h.fake.webhookUrl = endpoint.url
        const gateway = h.gateway()
        const request = checkoutOf()
        await initialize(gateway, request)
        const paid = await h.fake.completeCheckout(request.reference)
        expect(paid).toMatchObject({ status: 'succeeded', webhook_status: 200 })
        expect(endpoint.received).toHaveLength(1)
        const { rawBody, headers } = endpoint.received[0]!
        const event = gateway.parseWebhook(rawBody, headers)
        expect(event).toMatchObject({
          type: 'charge',
          charge: { reference: request.reference, status: 'succeeded', amount: 123_450, currency: 'NGN' },
        })
      } finally {
        await endpoint.close()
      }
    })

    it('refuses a malformed request before sending it', async () => {
      const gateway = harness().gateway()
      for (const [overrides, path] of [
        [{ callback_url: 'ftp://shop.example.ng/paid' }, 'callback_url'],
        [{ callback_url: '/paid' }, 'callback_url'],
        [{ reference: 'in_1' }, 'reference'],
        [{ amount: 12.5 }, 'amount'],
        [{ email: '' }, 'email'],
      ] as const) {
        const error = await rejection(initialize(gateway, checkoutOf(overrides)))
        expect(error).toBeInstanceOf(ValidationError)
        expect(error).toMatchObject({ details: { path } })
      }
      expect(pathRequests()).toBe(0)
    })

    it('a reference used before is a non-retryable GatewayError', async () => {
      const gateway = harness().gateway()
      const request = checkoutOf()
      await initialize(gateway, request)
      const error = await rejection(initialize(gateway, request))
      expect(error).toBeInstanceOf(GatewayError)
      expect(error).toMatchObject({ code: 'GATEWAY_ERROR', retryable: false, http_status: 400 })
    })

    it('a 5xx is sent once and is a retryable GatewayError', async () => {
      const h = harness()
      h.fake.failNext(1, { status: 500, path: target.checkoutPath })
      const error = await rejection(initialize(h.gateway(), checkoutOf()))
      expect(error).toMatchObject({ code: 'GATEWAY_ERROR', retryable: true })
      expect(pathRequests()).toBe(1)
    })

    it('a wrong key is GATEWAY_MERCHANT_ERROR and the key appears nowhere in the error', async () => {
      const h = harness()
      const secret = `${h.fake.secretKey}-revoked`
      const error = await rejection(initialize(h.gateway({ secretKey: secret }), checkoutOf()))
      expect(error).toMatchObject({ code: 'GATEWAY_MERCHANT_ERROR', http_status: 401, retryable: false })
      expectNoSecret(error, secret)
    })
  })
}
