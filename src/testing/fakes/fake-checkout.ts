/**
 * The hosted payment pages both fake gateways serve: `initialize` opens one at
 * `<server>/checkout/<code>`, and a test "pays" it by POSTing to that URL (as the customer's browser
 * would submit the page) or by calling the fake's `completeCheckout`. The page needs no secret key,
 * like the real one. Webhooks a payment fires are delivered to `webhookUrl` when one is set.
 */
import { randomBytes } from 'node:crypto'
import { BillingError, ErrorCode, NotFoundError } from '../../core/errors.js'
import type { CardBehaviour } from './fake-card.js'
import type { FakeReply, FakeRequest } from './fake-http-server.js'

/** How the customer pays a hosted page in a test. */
export interface CheckoutPayment {
  /** How the card entered on the page behaves (default `'approve'`). */
  behaviour?: CardBehaviour
  /** Whether the card may be charged again later (default true). */
  reusable?: boolean
}

/** A page opened by `initialize`, as the fake keeps it. */
export interface CheckoutSessionRecord {
  code: string
  reference: string
  /** As `initialize` received it (Paystack: minor units; Flutterwave: major units). */
  amount: number
  currency: string
  email: string
  callback_url: string | null
  paid: boolean
}

/** What paying a page came to: the transaction's outcome and where the customer is sent back. */
export interface CheckoutCompletion {
  reference: string
  status: 'succeeded' | 'failed' | 'pending'
  /** The card's reusable authorization (`AUTH_…`, `flw-t1nf-…`). */
  authorization: string
  /** The callback URL with the gateway's query parameters, or null when none was given. */
  redirect_url: string | null
  /** The HTTP status the webhook endpoint answered, when `completeCheckout` sent a webhook. */
  webhook_status?: number
}

/** A page payment and the webhook delivery it started, if any. */
export type PagePayment = [CheckoutCompletion, Promise<number> | undefined]

/** Path prefix of the hosted pages. */
export const CHECKOUT_PATH = '/checkout/'

/**
 * The pages of one fake gateway.
 *
 * @example
 * const pages = new FakeCheckoutPages(() => server.url)
 * const url = pages.open({ reference: 'kbm-in-1-1', amount: 500000, currency: 'NGN', email: 'ada@example.com', callback_url: null })
 */
export class FakeCheckoutPages {
  /** Where webhooks of paid pages are POSTed, signed; none are sent while it is null. */
  webhookUrl: string | null = null
  readonly #sessions = new Map<string, CheckoutSessionRecord>()
  readonly #deliveries = new Set<Promise<unknown>>()
  readonly #baseUrl: () => string

  constructor(baseUrl: () => string) {
    this.#baseUrl = baseUrl
  }

  /** Opens a page for a reference; returns its URL. */
  open(fields: Omit<CheckoutSessionRecord, 'code' | 'paid'>): string {
    const code = randomBytes(8).toString('hex')
    this.#sessions.set(code, { ...fields, code, paid: false })
    return `${this.#baseUrl()}${CHECKOUT_PATH}${code}`
  }

  /** Whether a page was opened for a reference. */
  has(reference: string): boolean {
    return [...this.#sessions.values()].some((s) => s.reference === reference)
  }

  /** The page opened for a reference, or a NotFoundError. */
  byReference(reference: string): CheckoutSessionRecord {
    for (const session of this.#sessions.values()) if (session.reference === reference) return session
    throw new NotFoundError(`no checkout page for ${reference}`, { id: reference, resource: 'checkout' })
  }

  /** Refuses to take a second payment on a paid page, as the real page does. */
  assertUnpaid(session: CheckoutSessionRecord): void {
    if (session.paid) {
      throw new BillingError(ErrorCode.INVALID_STATE, `checkout ${session.reference} is already paid`, {
        id: session.reference,
      })
    }
    session.paid = true
  }

  /**
   * Answers a request to a page: GET shows it, POST pays it with `pay` (body: `CheckoutPayment`);
   * undefined when the path is not a page.
   */
  route(
    request: FakeRequest,
    pay: (session: CheckoutSessionRecord, payment: CheckoutPayment) => PagePayment,
  ): FakeReply | undefined {
    if (!request.path.startsWith(CHECKOUT_PATH)) return undefined
    const session = this.#sessions.get(request.path.slice(CHECKOUT_PATH.length))
    if (!session) return { status: 404, body: { message: 'This payment page does not exist' } }
    if (request.method === 'GET') {
      const { reference, amount, currency, email, paid } = session
      return { status: 200, body: { reference, amount, currency, email, paid } }
    }
    if (request.method !== 'POST') return { status: 405, body: { message: 'Method not allowed' } }
    if (session.paid) return { status: 409, body: { message: 'This payment page has been paid' } }
    const body = (request.body ?? {}) as CheckoutPayment
    const [completion] = pay(session, {
      behaviour: body.behaviour ?? 'approve',
      reusable: body.reusable ?? true,
    })
    return { status: 200, body: completion }
  }

  /** Delivers a signed webhook to `webhookUrl`, tracked so `delivered()` can wait for it. */
  deliver(send: (url: string) => Promise<number>): Promise<number> | undefined {
    if (this.webhookUrl === null) return undefined
    const delivery = send(this.webhookUrl)
    const tracked = delivery.catch(() => 0)
    this.#deliveries.add(tracked)
    void tracked.finally(() => this.#deliveries.delete(tracked))
    return delivery
  }

  /** Resolves once every webhook sent so far has been answered. */
  async delivered(): Promise<void> {
    await Promise.all([...this.#deliveries])
  }
}

/**
 * Awaits a page payment's webhook (if one was sent) and reports the status it was answered with.
 *
 * @example
 * return settled(this.#payPage(session, payment))
 */
export async function settled([completion, delivery]: PagePayment): Promise<CheckoutCompletion> {
  if (delivery === undefined) return completion
  return { ...completion, webhook_status: await delivery }
}

/**
 * The callback URL with the gateway's query parameters appended, or null without one.
 *
 * @example
 * redirectTo('https://shop.example.ng/paid', { reference: 'kbm-1' }) // 'https://shop.example.ng/paid?reference=kbm-1'
 */
export function redirectTo(callback: string | null, params: Record<string, string>): string | null {
  if (callback === null) return null
  const url = new URL(callback)
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value)
  return url.toString()
}
