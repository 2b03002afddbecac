/**
 * kobometer/testing/fakes: local Paystack and Flutterwave servers on 127.0.0.1 that keep real state
 * (cards, transactions, refunds), answer in each provider's own shapes and script faults (5xx, 429,
 * lost answers, slow answers, a revoked key), so a billing flow can be tested offline, end to end.
 * Built on Node's own `node:http` and `node:crypto` and kobometer's own money code: no test runner
 * needed, any runner works.
 */

export type { CardBehaviour } from './fake-card.js'
export type { CheckoutCompletion, CheckoutPayment } from './fake-checkout.js'
export type { SignedWebhook } from './fake-gateway.js'
export type { FaultOptions } from './fake-http-server.js'
export { FakeFlutterwave, type FlutterwaveChargeRecord } from './flutterwave-server.js'
export { FakePaystack, type PaystackChargeRecord } from './paystack-server.js'
