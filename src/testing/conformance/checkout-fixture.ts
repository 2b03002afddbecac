import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type Billing, createBilling } from '../../core/billing.js'
import { SignatureVerificationError } from '../../core/errors.js'
import { flutterwaveGateway } from '../../gateways/flutterwave/flutterwave-gateway.js'
import { paystackGateway } from '../../gateways/paystack/paystack-gateway.js'
import { FakeFlutterwave } from '../fakes/flutterwave-server.js'
import { FakePaystack } from '../fakes/paystack-server.js'
import type { ConformanceContext } from './context.js'

/** A billing instance on the storage under test that takes payments through both fake gateways. */
export interface CheckoutHarness {
  billing: Billing
  paystack: FakePaystack
  flutterwave: FakeFlutterwave
  /** Moves this instance's clock. */
  setNow(ms: number): void
  /** Stops the fakes and the webhook endpoint (the storage belongs to the suite). */
  close(): Promise<void>
}

// The host's webhook route: the raw body and headers handed to `billing.webhooks.handle`, 401 for
// a bad signature, 200 otherwise, as the README tells hosts to answer.
async function webhookEndpoint(billing: () => Billing): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const gateway = (req.url ?? '').split('/').pop() ?? ''
    try {
      const raw_body = new Uint8Array(Buffer.concat(chunks))
      const outcome = await billing().webhooks.handle({ gateway, raw_body, headers: req.headers })
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(outcome))
    } catch (error) {
      res.writeHead(error instanceof SignatureVerificationError ? 401 : 500).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/**
 * Starts both fake gateways, a webhook endpoint they deliver to, and a billing instance on the
 * suite's storage that uses them.
 *
 * @example
 * const h = await checkoutHarness(t)
 * const link = await h.billing.checkout.create({ invoice_id, gateway: 'paystack', callback_url })
 */
export async function checkoutHarness(t: ConformanceContext, start: number): Promise<CheckoutHarness> {
  let now = start
  const paystack = new FakePaystack({ secretKey: 'sk_test_kbm_conformance_9f3e1d', now: () => now })
  const flutterwave = new FakeFlutterwave({
    secretKey: 'FLWSECK_TEST-kbm-conformance-7c2a4b-X',
    secretHash: 'kbm-conformance-hash-5d8e',
  })
  const servers = [await paystack.start(), await flutterwave.start()]
  const retryDelayMs = { base: 1, max: 5 }
  const billing = await createBilling({
    storage: t.storage(),
    clock: () => now,
    migrate: false,
    gateways: {
      paystack: paystackGateway({ secretKey: paystack.secretKey, baseUrl: servers[0]!.url, retryDelayMs }),
      flutterwave: flutterwaveGateway({
        secretKey: flutterwave.secretKey,
        secretHash: flutterwave.secretHash,
        baseUrl: servers[1]!.url,
        retryDelayMs,
      }),
    },
  })
  const endpoint = await webhookEndpoint(() => billing)
  paystack.webhookUrl = `${endpoint.url}/paystack`
  flutterwave.webhookUrl = `${endpoint.url}/flutterwave`
  return {
    billing,
    paystack,
    flutterwave,
    setNow: (ms) => {
      now = ms
    },
    close: async () => {
      await endpoint.close()
      for (const server of servers) await server.close()
    },
  }
}
