/**
 * A local Paystack that keeps real state and plays the awkward parts of the live API: declines are
 * HTTP 200 with `data.status: 'failed'`, a reused reference is 400 `duplicate_reference`, the card
 * regulator holds a card after 10 consecutive failures, an unknown reference is 404 "Entity not found" or 400 "Transaction reference not found".
 * Transaction ids exceed 2^53 and are written as bare JSON integers.
 *
 * Usage:
 *   const paystack = new FakePaystack({ secretKey: 'sk_test_fake' })
 *   const { url, close } = await paystack.start()
 *   const gateway = paystackGateway({ secretKey: 'sk_test_fake', baseUrl: url })
 *   const auth = paystack.addCard({ email: 'ada@example.com', behaviour: 'approve' })
 *   paystack.failNext(2, { status: 500 })         // scripted faults: 500 | 429, any body
 *   paystack.dropNextChargeResponse()             // charge happens, answer lost
 *   paystack.delayNext(200)                       // next request answers late
 *   await gateway.charge({ reference: 'inv-1', amount: 500000, currency: 'NGN', email: 'ada@example.com', authorization: auth })
 *   paystack.successfulCharges('inv-1')           // 1
 *   const { rawBody, headers } = paystack.signedWebhook(paystack.chargeEvent('inv-1'))
 *   await paystack.sendWebhook('http://127.0.0.1:3000/webhooks/paystack', paystack.chargeEvent('inv-1'))
 *   paystack.webhookUrl = 'http://127.0.0.1:3000/webhooks/paystack'   // paid checkout pages send charge.success here
 *   // gateway.initializeCheckout(...) opens `${url}/checkout/<code>`; the customer pays it:
 *   await paystack.completeCheckout('kbm-in-1-1', { behaviour: 'approve' })  // or POST to the page URL
 */
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { NotFoundError } from '../../core/errors.js'
import { type CardBehaviour, chargeCard, type FakeCard, newCard, notPending } from './fake-card.js'
import {
  type CheckoutCompletion,
  type CheckoutPayment,
  type CheckoutSessionRecord,
  type PagePayment,
  redirectTo,
  settled,
} from './fake-checkout.js'
import { FakeGateway, type SignedWebhook } from './fake-gateway.js'
import { type FakeReply, type FakeRequest, toJson } from './fake-http-server.js'

/** One charge attempt the fake processed (duplicates and refusals are not charges). */
export interface PaystackChargeRecord {
  reference: string
  authorization: string
  /** As sent: integer minor units. */
  amount: unknown
  currency: string
  status: 'succeeded' | 'failed' | 'pending'
}

interface Transaction {
  id: bigint
  reference: string
  amount: number
  currency: string
  status: 'success' | 'failed' | 'pending' | 'reversed' | 'abandoned'
  gateway_response: string
  email: string
  /** Null until a checkout page is paid: an initialized transaction has no card yet. */
  card: FakeCard | null
  created_at: string
  refunded: number
}

interface Refund {
  id: number
  reference: string
  amount: number
  currency: string
  status: 'pending' | 'processed' | 'failed'
}

const REFERENCE = /^[A-Za-z0-9.=-]+$/
const DAY_MS = 24 * 60 * 60 * 1000

/**
 * A fake Paystack API.
 *
 * @example
 * const paystack = new FakePaystack()
 * const { url, close } = await paystack.start()
 */
export class FakePaystack extends FakeGateway {
  /** Every charge attempt processed, in order. */
  readonly charges: PaystackChargeRecord[] = []
  readonly refunds: Refund[] = []
  /** Status of the not-found answer of verify: 404 per the spec (default) or 400 as seen live. */
  notFoundStatus: 400 | 404 = 404
  readonly #now: () => number
  readonly #cards = new Map<string, FakeCard>()
  readonly #transactions = new Map<string, Transaction>()
  #nextId = 4_099_260_516_000_000_001n
  #nextRefundId = 3_018_284

  constructor(options: { secretKey?: string; now?: () => number } = {}) {
    super(
      {
        secretKey: options.secretKey ?? 'sk_test_fake_0123456789abcdef',
        unauthorized: () => ({ status: 401, body: { status: false, message: 'Invalid key' } }),
        fault: (status) =>
          status === 429
            ? { status: false, message: 'Rate limit exceeded!', type: 'api_error', code: 'rate_limited' }
            : { status: false, message: 'Something went wrong. Please try again.', type: 'api_error' },
      },
      '/transaction/charge_authorization',
    )
    this.#now = options.now ?? Date.now
  }

  /** Seeds a stored card; returns its `AUTH_…` code. */
  addCard(input: { email: string; behaviour?: CardBehaviour; reusable?: boolean }): string {
    const code = `AUTH_${randomBytes(5).toString('hex')}`
    this.#cards.set(code, newCard(code, input.email, input.behaviour ?? 'approve', input.reusable ?? true))
    return code
  }

  /** A completed checkout (initialize + customer pays): a successful transaction and its card. */
  firstPayment(input: {
    email: string
    amount: number
    currency: string
    reference?: string
    reusable?: boolean
    behaviour?: CardBehaviour
  }): { reference: string; authorization: string } {
    const authorization = this.addCard(input)
    const reference = input.reference ?? `checkout-${randomBytes(4).toString('hex')}`
    const card = this.#cards.get(authorization)!
    this.#record(reference, input.amount, input.currency, 'success', 'Approved', card)
    return { reference, authorization }
  }

  /**
   * The customer pays the checkout page opened for `reference` (as POSTing to its URL does): the
   * transaction takes the card's outcome, and a success leaves a reusable authorization and sends
   * `charge.success` to `webhookUrl` when one is set (awaited; its answer is `webhook_status`).
   */
  completeCheckout(reference: string, payment: CheckoutPayment = {}): Promise<CheckoutCompletion> {
    return settled(this.#payPage(this.pages.byReference(reference), payment))
  }

  /** Completes a pending charge. */
  settle(reference: string, outcome: 'succeeded' | 'failed'): void {
    const tx = this.#transactions.get(reference)
    if (tx?.status !== 'pending') throw notPending(reference)
    tx.status = outcome === 'succeeded' ? 'success' : 'failed'
    tx.gateway_response = outcome === 'succeeded' ? 'Approved' : 'Declined'
    const record = this.charges.find((c) => c.reference === reference)
    if (record) record.status = outcome
  }

  /** Finishes a refund (as Paystack does after `refund.pending`). */
  settleRefund(refundId: number, status: 'processed' | 'failed'): void {
    const refund = this.refunds.find((r) => r.id === refundId)
    if (!refund) throw new NotFoundError(`no refund ${refundId}`, { id: refundId, resource: 'refund' })
    refund.status = status
    const tx = this.#transactions.get(refund.reference)
    if (tx && status === 'failed') tx.refunded -= refund.amount
  }

  /** How many successful charges the fake made under this reference (never more than 1). */
  successfulCharges(reference: string): number {
    return this.charges.filter((c) => c.reference === reference && c.status === 'succeeded').length
  }

  /** The transaction as verify would show it, or undefined. */
  transaction(reference: string): Record<string, unknown> | undefined {
    const tx = this.#transactions.get(reference)
    return tx ? { ...view(tx), id: String(tx.id) } : undefined
  }

  /** A `charge.success` event for a successful transaction. */
  chargeEvent(reference: string): { event: string; data: unknown } {
    const tx = this.#transactions.get(reference)
    if (!tx)
      throw new NotFoundError(`no transaction ${reference}`, { id: reference, resource: 'transaction' })
    return { event: 'charge.success', data: view(tx) }
  }

  /** A `refund.<status>` event for a refund, in its current status. */
  refundEvent(refundId: number): { event: string; data: unknown } {
    const refund = this.refunds.find((r) => r.id === refundId)
    if (!refund) throw new NotFoundError(`no refund ${refundId}`, { id: refundId, resource: 'refund' })
    return {
      event: `refund.${refund.status}`,
      data: {
        id: refund.id,
        status: refund.status,
        transaction_reference: refund.reference,
        refund_reference: null,
        amount: refund.amount,
        currency: refund.currency,
        processor: 'mastercard',
        domain: 'test',
      },
    }
  }

  /** An event's raw body and the headers Paystack sends with it, signed with the secret key. */
  signedWebhook(event: unknown): SignedWebhook {
    const rawBody = toJson(event)
    const signature = createHmac('sha512', this.secretKey).update(rawBody).digest('hex')
    return { rawBody, headers: { 'content-type': 'application/json', 'x-paystack-signature': signature } }
  }

  protected route(request: FakeRequest): FakeReply {
    const { method, path } = request
    if (method === 'POST' && path === '/transaction/charge_authorization') return this.#charge(request.body)
    if (method === 'GET' && path.startsWith('/transaction/verify/')) {
      return this.#verify(decodeURIComponent(path.slice('/transaction/verify/'.length)))
    }
    if (method === 'POST' && path === '/refund') return this.#refund(request.body)
    if (method === 'POST' && path === '/transaction/initialize') return this.#initialize(request.body)
    const page = this.pages.route(request, (session, payment) => this.#payPage(session, payment))
    if (page) return page
    return { status: 404, body: { status: false, message: 'Route not found' } }
  }

  #charge(body: unknown): FakeReply {
    const input = (body ?? {}) as Record<string, unknown>
    const { email, amount, authorization_code: code, currency = 'NGN' } = input
    const reference =
      typeof input.reference === 'string' ? input.reference : `T${randomBytes(6).toString('hex')}`
    if (typeof email !== 'string' || typeof code !== 'string' || typeof currency !== 'string') {
      return invalid('email and authorization_code are required')
    }
    if (typeof amount !== 'number' || !Number.isInteger(amount) || amount <= 0) {
      return invalid('Invalid Amount Sent')
    }
    if (!REFERENCE.test(reference)) return invalid('Invalid transaction reference')
    if (this.#transactions.has(reference)) {
      return {
        status: 400,
        body: {
          status: false,
          message: 'Duplicate Transaction Reference',
          type: 'validation_error',
          code: 'duplicate_reference',
        },
      }
    }
    const card = this.#cards.get(code)
    if (!card) return invalid('Authorization code does not exist or has been deactivated')
    if (!card.reusable) return invalid('This authorization is not reusable')
    if (card.email !== email) {
      return invalid(
        'Email does not match Authorization code. Authorization may be inactive or belong to a different email. Please confirm.',
      )
    }
    const now = this.#now()
    if (
      card.consecutive_failures >= 10 &&
      card.last_attempt_at !== null &&
      now - card.last_attempt_at < DAY_MS
    ) {
      const retryBy = new Date(card.last_attempt_at + DAY_MS).toISOString()
      return {
        status: 400,
        body: {
          status: false,
          message: `Charge cannot be fulfilled until ${retryBy}`,
          data: { retry_by: retryBy },
        },
      }
    }
    const outcome = chargeCard(card, now)
    const status =
      outcome.status === 'succeeded' ? 'success' : outcome.status === 'failed' ? 'failed' : 'pending'
    const tx = this.#record(reference, amount, currency, status, outcome.reason, card)
    this.charges.push({ reference, authorization: code, amount, currency, status: outcome.status })
    return { status: 200, body: { status: true, message: 'Charge attempted', data: view(tx) } }
  }

  #initialize(body: unknown): FakeReply {
    const input = (body ?? {}) as Record<string, unknown>
    const { email, amount, currency = 'NGN', callback_url } = input
    const reference =
      typeof input.reference === 'string' ? input.reference : `T${randomBytes(6).toString('hex')}`
    if (typeof email !== 'string' || !email.includes('@')) return invalid('Invalid Email Address Passed')
    if (typeof amount !== 'number' || !Number.isInteger(amount) || amount <= 0) {
      return invalid('Invalid Amount Sent')
    }
    if (typeof currency !== 'string') return invalid('Invalid currency')
    if (!REFERENCE.test(reference)) return invalid('Invalid transaction reference')
    if (callback_url !== undefined && typeof callback_url !== 'string') return invalid('Invalid callback_url')
    if (this.#transactions.has(reference)) {
      return {
        status: 400,
        body: {
          status: false,
          message: 'Duplicate Transaction Reference',
          type: 'validation_error',
          code: 'duplicate_reference',
        },
      }
    }
    // Paystack holds the transaction from here on: verify answers `abandoned` until it is paid.
    this.#record(reference, amount, currency, 'abandoned', 'The transaction was not completed', null, email)
    const url = this.pages.open({ reference, amount, currency, email, callback_url: callback_url ?? null })
    const access_code = url.slice(url.lastIndexOf('/') + 1)
    return {
      status: 200,
      body: {
        status: true,
        message: 'Authorization URL created',
        data: { authorization_url: url, access_code, reference },
      },
    }
  }

  #payPage(session: CheckoutSessionRecord, payment: CheckoutPayment): PagePayment {
    this.pages.assertUnpaid(session)
    const authorization = this.addCard({
      email: session.email,
      behaviour: payment.behaviour ?? 'approve',
      reusable: payment.reusable ?? true,
    })
    const card = this.#cards.get(authorization)!
    const tx = this.#transactions.get(session.reference)!
    const outcome = chargeCard(card, this.#now())
    tx.card = card
    tx.status =
      outcome.status === 'succeeded' ? 'success' : outcome.status === 'failed' ? 'failed' : 'pending'
    tx.gateway_response = outcome.reason
    const { reference } = session
    this.charges.push({
      reference,
      authorization,
      amount: tx.amount,
      currency: tx.currency,
      status: outcome.status,
    })
    session.paid = outcome.status === 'succeeded'
    // Paystack sends no webhook for a failure: it is learnt from verify.
    const delivery = session.paid
      ? this.pages.deliver((url) => this.sendWebhook(url, this.chargeEvent(reference)))
      : undefined
    const redirect_url = redirectTo(session.callback_url, { trxref: reference, reference })
    return [{ reference, status: outcome.status, authorization, redirect_url }, delivery]
  }

  #verify(reference: string): FakeReply {
    const tx = this.#transactions.get(reference)
    if (tx) return { status: 200, body: { status: true, message: 'Verification successful', data: view(tx) } }
    return this.notFoundStatus === 404
      ? { status: 404, body: { status: false, message: 'Entity not found' } }
      : { status: 400, body: { status: false, message: 'Transaction reference not found' } }
  }

  #refund(body: unknown): FakeReply {
    const input = (body ?? {}) as Record<string, unknown>
    const key = String(input.transaction ?? '')
    const tx =
      this.#transactions.get(key) ?? [...this.#transactions.values()].find((t) => String(t.id) === key)
    if (!tx) return { status: 404, body: { status: false, message: 'Transaction not found' } }
    if (tx.status !== 'success') return invalid('Transaction has not been completed')
    const amount = input.amount === undefined ? tx.amount - tx.refunded : input.amount
    if (
      typeof amount !== 'number' ||
      !Number.isInteger(amount) ||
      amount <= 0 ||
      amount > tx.amount - tx.refunded
    ) {
      return invalid('Refund amount cannot be greater than transaction amount')
    }
    tx.refunded += amount
    const refund: Refund = {
      id: this.#nextRefundId++,
      reference: tx.reference,
      amount,
      currency: tx.currency,
      status: 'pending',
    }
    this.refunds.push(refund)
    return {
      status: 200,
      body: {
        status: true,
        message: 'Refund has been queued for processing',
        data: {
          transaction: { id: tx.id, reference: tx.reference, amount: tx.amount, currency: tx.currency },
          amount,
          currency: tx.currency,
          status: 'pending',
          id: refund.id,
        },
      },
    }
  }

  #record(
    reference: string,
    amount: number,
    currency: string,
    status: Transaction['status'],
    reason: string,
    card: FakeCard | null,
    email = card?.email ?? '',
  ): Transaction {
    const tx: Transaction = {
      id: this.#nextId++,
      reference,
      amount,
      currency,
      status,
      gateway_response: reason,
      email,
      card,
      created_at: new Date(this.#now()).toISOString(),
      refunded: 0,
    }
    this.#transactions.set(reference, tx)
    return tx
  }
}

function invalid(message: string): FakeReply {
  return { status: 400, body: { status: false, message, type: 'validation_error' } }
}

function view(tx: Transaction): Record<string, unknown> {
  return {
    id: tx.id,
    domain: 'test',
    status: tx.status,
    reference: tx.reference,
    amount: tx.amount,
    message: null,
    gateway_response: tx.gateway_response,
    paid_at: tx.status === 'success' ? tx.created_at : null,
    created_at: tx.created_at,
    channel: 'card',
    currency: tx.currency,
    customer: {
      email: tx.email,
      customer_code: `CUS_${createHash('sha1').update(tx.email).digest('hex').slice(0, 14)}`,
    },
    authorization: tx.card === null ? {} : authorizationView(tx.card),
  }
}

function authorizationView(card: FakeCard): Record<string, unknown> {
  return {
    authorization_code: card.authorization,
    bin: '408408',
    last4: card.last4,
    exp_month: card.exp_month,
    exp_year: card.exp_year,
    channel: 'card',
    card_type: 'visa ',
    bank: 'TEST BANK',
    country_code: 'NG',
    brand: card.brand,
    reusable: card.reusable,
    signature: `SIG_${card.authorization.slice(5)}`,
  }
}
