/**
 * What the gateway conformance suite runs on: the control API both fake servers share, the target
 * description each gateway's test file gives, and small helpers (references, rejections, secret
 * checks).
 */
import { createServer } from 'node:net'
import { inspect } from 'node:util'
import { expect } from 'vitest'
import { GatewayError } from '../../src/core/errors.js'
import type { ChargeRequest, PaymentGateway } from '../../src/core/payments/gateway-port.js'
import type {
  CardBehaviour,
  CheckoutCompletion,
  CheckoutPayment,
  FaultOptions,
} from '../../src/testing/fakes/index.js'

/** The control API both fakes share. */
export interface ConformanceFake {
  readonly secretKey: string
  notFoundStatus: 400 | 404
  readonly charges: ReadonlyArray<{ reference: string; amount: unknown; currency: string; status: string }>
  readonly requests: ReadonlyArray<{ method: string; path: string }>
  addCard(input: { email: string; behaviour?: CardBehaviour }): string
  firstPayment(input: { email: string; amount: number; currency: string }): {
    reference: string
    authorization: string
  }
  settle(reference: string, outcome: 'succeeded' | 'failed'): void
  failNext(n: number, options: FaultOptions): void
  dropNextChargeResponse(): void
  dropNextChargeRequest(): void
  failNextChargeAfterCharging(status: number): void
  delayNext(ms: number): void
  successfulCharges(reference: string): number
  chargeEvent(reference: string): unknown
  signedWebhook(event: unknown): { rawBody: string; headers: Record<string, string> }
  webhookUrl: string | null
  completeCheckout(reference: string, payment?: CheckoutPayment): Promise<CheckoutCompletion>
}

/** Options the suite varies when it builds a gateway against the fake. */
export interface TestGatewayOptions {
  secretKey?: string
  baseUrl?: string
  timeoutMs?: number
  maxRetries?: number
}

/** One running fake and a way to build gateways that talk to it. */
export interface GatewayHarness {
  fake: ConformanceFake
  url: string
  close(): Promise<void>
  gateway(options?: TestGatewayOptions): PaymentGateway
}

/** A gateway under test. */
export interface GatewayTarget {
  name: string
  /** The unit amounts travel in: Paystack minor (kobo), Flutterwave major (naira). */
  wireUnit: 'minor' | 'major'
  /** Whether a pending charge carries a `redirect_url` (Flutterwave 3-D Secure does). */
  pendingRedirect: boolean
  /**
   * Whether the default webhook signature covers the body. Flutterwave's `verif-hash` is a static
   * shared secret, so a tampered body passes it; its body signature is tested separately.
   */
  webhookSignsBody: boolean
  /** Path prefix of the charge endpoint, to count charge requests. */
  chargePath: string
  /** Path of the endpoint that opens a hosted checkout page. */
  checkoutPath: string
  start(): Promise<GatewayHarness>
  /** Gateway-specific tests, with the same per-test harness. */
  additionalTests?: (harness: () => GatewayHarness) => void
}

export const EMAIL = 'ada@example.com'
let sequence = 0

/** A fresh, valid reference. */
export function reference(): string {
  sequence += 1
  return `inv-${Date.now().toString(36)}-${sequence}`
}

/** A charge request for a card, overridable. */
export function chargeOf(authorization: string, overrides: Partial<ChargeRequest> = {}): ChargeRequest {
  return {
    reference: reference(),
    amount: 500_000,
    currency: 'NGN',
    email: EMAIL,
    authorization,
    ...overrides,
  }
}

/** The error a promise rejects with. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

/** Asserts a secret appears nowhere a log or a developer could see it. */
export function expectNoSecret(error: unknown, secret: string): void {
  expect(error).toBeInstanceOf(GatewayError)
  const e = error as GatewayError
  expect(e.message).not.toContain(secret)
  expect(JSON.stringify(e)).not.toContain(secret)
  expect(JSON.stringify(e.details)).not.toContain(secret)
  expect(String(e.cause)).not.toContain(secret)
  expect(inspect(e, { depth: 10 })).not.toContain(secret)
  expect(String(e.stack)).not.toContain(secret)
}

const PREFIX = /^(sk_(test|live)_|FLWSECK(_TEST)?-)/

/**
 * The ways a provider has been seen to echo a key: percent-encoded (every byte), upper-cased,
 * without its prefix, a long piece of it, and inside a header line.
 */
export function secretEchoes(secret: string): string[] {
  const core = secret.replace(PREFIX, '')
  const encoded = [...secret].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('')
  return [
    encoded,
    encodeURIComponent(secret),
    secret.toUpperCase(),
    core,
    core.slice(2, -2),
    `Authorization: Bearer ${secret}\r\nX-Key: ${core.toLowerCase()}`,
  ]
}

/** Asserts no run of 10 characters of the key's unprefixed part appears, in any case or encoding. */
export function expectNoEcho(text: string, secret: string): void {
  let decoded = text
  try {
    decoded = decodeURIComponent(text)
  } catch {
    decoded = text.replace(/%([0-9a-f]{2})/gi, (_m, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    )
  }
  const haystack = decoded.toLowerCase()
  const core = secret.replace(PREFIX, '').toLowerCase()
  for (let i = 0; i + 10 <= core.length; i++) {
    expect(haystack, `echo of ${core.slice(i, i + 10).length} key characters`).not.toContain(
      core.slice(i, i + 10),
    )
  }
}

/** Waits until `check` holds. */
export const until = async (check: () => boolean, ms = 2_000): Promise<void> => {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** A URL on which nothing listens. */
export async function closedPort(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}
