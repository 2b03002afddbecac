/**
 * A local Flutterwave v3 that keeps real state and plays the awkward parts of the live API: amounts
 * in major units (JSON numbers like 1234.5), 3-D Secure charges left `pending` with a redirect, declines in both shapes (200 with `data.status: 'failed'`
 * or a 400 error envelope), a not-found verify as 400 or 404, server faults as
 * `{ error_id, message, code: 'app_error' }`, webhooks in the v3 and the flat legacy shape.
 *
 * Usage:
 *   const flw = new FakeFlutterwave({ secretKey: 'FLWSECK_TEST-fake', secretHash: 'hash' })
 *   const { url, close } = await flw.start()
 *   const gateway = flutterwaveGateway({ secretKey: 'FLWSECK_TEST-fake', secretHash: 'hash', baseUrl: url })
 *   const token = flw.addCard({ email: 'ada@example.com', behaviour: { kind: 'decline', reason: 'Insufficient Funds', shape: 'envelope' } })
 *   flw.failNext(1, { status: 429 }); flw.dropNextChargeResponse(); flw.delayNext(200)
 *   flw.successfulCharges('inv-1')                                   // charges made under a tx_ref
 *   flw.settle('inv-1', 'succeeded')                                 // completes a pending 3-D Secure charge
 *   const { rawBody, headers } = flw.signedWebhook(flw.chargeEvent('inv-1', { shape: 'legacy' }), { signature: true })
 *   flw.webhookUrl = 'http://127.0.0.1:3000/webhooks/flutterwave'   // paid checkout pages send charge.completed here
 *   await flw.completeCheckout('kbm-in-1-1')                          // the customer pays the Standard page
 */
import { createHmac, randomBytes } from 'node:crypto'
import { NotFoundError } from '../../core/errors.js'
import { fromMinorUnits, toMinorUnits } from '../../core/money/convert.js'
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
export interface FlutterwaveChargeRecord {
  reference: string
  authorization: string
  /** As sent: a JSON number in major units. */
  amount: unknown
  currency: string
  status: 'succeeded' | 'failed' | 'pending'
}

interface Transaction {
  id: number
  tx_ref: string
  flw_ref: string
  amount: number
  currency: string
  status: 'successful' | 'failed' | 'pending'
  processor_response: string
  card: FakeCard
  created_at: string
  refunded_minor: number
}

interface Refund {
  id: number
  tx_id: number
  reference: string
  amount: number
  currency: string
  status: 'completed'
}

const NOT_FOUND = { status: 'error', message: 'No transaction was found for this id', data: null }

/**
 * A fake Flutterwave API.
 *
 * @example
 * const flw = new FakeFlutterwave()
 * const { url, close } = await flw.start()
 */
export class FakeFlutterwave extends FakeGateway {
  readonly secretHash: string
  /** Every charge attempt processed, in order. */
  readonly charges: FlutterwaveChargeRecord[] = []
  readonly refunds: Refund[] = []
  /** Status of the not-found answer of verify (unconfirmed in the docs): 400 (default) or 404. */
  notFoundStatus: 400 | 404 = 400
  readonly #cards = new Map<string, FakeCard>()
  readonly #transactions = new Map<string, Transaction>()
  #nextId = 277_036_749
  #nextRefundId = 75_923

  constructor(options: { secretKey?: string; secretHash?: string } = {}) {
    super(
      {
        secretKey: options.secretKey ?? 'FLWSECK_TEST-fake0123456789abcdef-X',
        unauthorized: (presented) => ({
          status: 401,
          body: {
            status: 'error',
            message: presented ? 'Invalid authorization key' : 'Authorization required',
            data: null,
          },
        }),
        fault: (status) =>
          status === 429
            ? { status: 'error', message: 'Too many requests', data: null }
            : {
                error_id: `err-${randomBytes(4).toString('hex')}`,
                message: 'An error occurred',
                code: 'app_error',
              },
      },
      '/v3/tokenized-charges',
    )
    this.secretHash = options.secretHash ?? 'fake-secret-hash-0123'
  }

  /** Seeds a stored card; returns its `flw-t1nf-…` token, tied to `email`. */
  addCard(input: { email: string; behaviour?: CardBehaviour; reusable?: boolean }): string {
    const token = `flw-t1nf-${randomBytes(12).toString('hex')}-m03k`
    this.#cards.set(token, newCard(token, input.email, input.behaviour ?? 'approve', input.reusable ?? true))
    return token
  }

  /** A completed hosted checkout: a successful transaction (amount in minor units) and its card. */
  firstPayment(input: {
    email: string
    amount: number
    currency: string
    reference?: string
    behaviour?: CardBehaviour
  }): { reference: string; authorization: string } {
    const authorization = this.addCard(input)
    const reference = input.reference ?? `checkout-${randomBytes(4).toString('hex')}`
    const major = Number(fromMinorUnits(input.amount, input.currency))
    this.#record(reference, major, input.currency, 'successful', 'Approved', this.#cards.get(authorization)!)
    return { reference, authorization }
  }

  /**
   * The customer pays the Standard page opened for `tx_ref` (as POSTing to its URL does): a
   * transaction with the card's outcome, its token, and a `charge.completed` webhook to `webhookUrl`
   * when one is set (awaited; its answer is `webhook_status`). A declined page may be paid again.
   */
  completeCheckout(reference: string, payment: CheckoutPayment = {}): Promise<CheckoutCompletion> {
    return settled(this.#payPage(this.pages.byReference(reference), payment))
  }

  /** Completes a pending (3-D Secure) charge. */
  settle(reference: string, outcome: 'succeeded' | 'failed'): void {
    const tx = this.#transactions.get(reference)
    if (tx?.status !== 'pending') throw notPending(reference)
    tx.status = outcome === 'succeeded' ? 'successful' : 'failed'
    tx.processor_response = outcome === 'succeeded' ? 'Approved' : 'Declined'
    const record = this.charges.find((c) => c.reference === reference)
    if (record) record.status = outcome
  }

  /** How many successful charges the fake made under this tx_ref (never more than 1). */
  successfulCharges(reference: string): number {
    return this.charges.filter((c) => c.reference === reference && c.status === 'succeeded').length
  }

  /** The transaction as verify would show it, or undefined. */
  transaction(reference: string): Record<string, unknown> | undefined {
    const tx = this.#transactions.get(reference)
    return tx ? view(tx) : undefined
  }

  /**
   * A `charge.completed` event (`shape: 'v3'`, default: `event`, `data` and the top-level
   * `event.type` key Flutterwave's published samples carry) or the flat legacy `CARD_TRANSACTION` one.
   */
  chargeEvent(reference: string, options: { shape?: 'v3' | 'legacy' } = {}): Record<string, unknown> {
    const tx = this.#transactions.get(reference)
    if (!tx)
      throw new NotFoundError(`no transaction ${reference}`, { id: reference, resource: 'transaction' })
    if (options.shape === 'legacy') {
      return {
        id: tx.id,
        txRef: tx.tx_ref,
        flwRef: tx.flw_ref,
        orderRef: `URF_${tx.id}`,
        amount: tx.amount,
        charged_amount: tx.amount,
        status: tx.status,
        currency: tx.currency,
        customer: { email: tx.card.email },
        'event.type': 'CARD_TRANSACTION',
      }
    }
    return { event: 'charge.completed', data: view(tx), 'event.type': 'CARD_TRANSACTION' }
  }

  /**
   * An event's raw body and the headers Flutterwave sends: `verif-hash`, and with
   * `signature: true` also `flutterwave-signature` (base64 HMAC-SHA256 keyed with the secret hash).
   */
  signedWebhook(event: unknown, options: { signature?: boolean } = {}): SignedWebhook {
    const rawBody = toJson(event)
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'verif-hash': this.secretHash,
    }
    if (options.signature) {
      headers['flutterwave-signature'] = createHmac('sha256', this.secretHash)
        .update(rawBody)
        .digest('base64')
    }
    return { rawBody, headers }
  }

  protected route(request: FakeRequest): FakeReply {
    const { method, path } = request
    if (method === 'POST' && path === '/v3/tokenized-charges') return this.#charge(request.body)
    if (method === 'POST' && path === '/v3/payments') return this.#standard(request.body)
    const page = this.pages.route(request, (session, payment) => this.#payPage(session, payment))
    if (page) return page
    if (method === 'GET' && path === '/v3/transactions/verify_by_reference') {
      return this.#verify(this.#transactions.get(request.query.get('tx_ref') ?? ''))
    }
    const byId = /^\/v3\/transactions\/(\d+)\/(verify|refund)$/.exec(path)
    if (byId) {
      const tx = [...this.#transactions.values()].find((t) => t.id === Number(byId[1]))
      if (byId[2] === 'verify' && method === 'GET') return this.#verify(tx)
      if (byId[2] === 'refund' && method === 'POST') return this.#refund(tx, request.body)
    }
    return { status: 404, body: { status: 'error', message: 'Route not found', data: null } }
  }

  #charge(body: unknown): FakeReply {
    const input = (body ?? {}) as Record<string, unknown>
    const { token, currency, amount, email, tx_ref: reference } = input
    for (const [field, value] of Object.entries({ token, currency, email, tx_ref: reference })) {
      if (typeof value !== 'string' || value === '') return invalid(`${field} is required`)
    }
    if (typeof amount !== 'number' || !(amount > 0)) return invalid('amount is required')
    const ref = reference as string
    if (this.#transactions.has(ref))
      return invalid('Duplicate transaction reference, please use a unique tx_ref')
    const card = this.#cards.get(token as string)
    if (!card?.reusable) return invalid('Token not found')
    if (card.email !== email) return invalid('Token is not tied to this email')
    try {
      toMinorUnits(String(amount), currency as string)
    } catch {
      return invalid('Invalid amount')
    }
    const outcome = chargeCard(card, Date.now())
    if (outcome.status === 'failed' && outcome.shape === 'envelope') {
      this.charges.push({
        reference: ref,
        authorization: card.authorization,
        amount,
        currency: currency as string,
        status: 'failed',
      })
      return invalid(outcome.reason)
    }
    const status = outcome.status === 'succeeded' ? 'successful' : outcome.status
    const tx = this.#record(ref, amount, currency as string, status, outcome.reason, card)
    this.charges.push({
      reference: ref,
      authorization: card.authorization,
      amount,
      currency: currency as string,
      status: outcome.status,
    })
    const data = view(tx)
    if (status === 'pending') {
      data.meta = { authorization: { mode: 'redirect', redirect: `${this.url}/3ds/${tx.flw_ref}` } }
      return { status: 200, body: { status: 'success', message: 'Charge initiated', data } }
    }
    return {
      status: 200,
      body: {
        status: 'success',
        message: status === 'successful' ? 'Charge successful' : 'Charge failed',
        data,
      },
    }
  }

  #standard(body: unknown): FakeReply {
    const input = (body ?? {}) as Record<string, unknown>
    const { tx_ref: reference, amount, currency, redirect_url } = input
    const email = (input.customer as Record<string, unknown> | undefined)?.email
    for (const [field, value] of Object.entries({ tx_ref: reference, currency, redirect_url })) {
      if (typeof value !== 'string' || value === '') return invalid(`${field} is required`)
    }
    if (typeof email !== 'string' || !email.includes('@')) return invalid('customer.email is required')
    if (typeof amount !== 'number' || !(amount > 0)) return invalid('amount is required')
    try {
      toMinorUnits(String(amount), currency as string)
    } catch {
      return invalid('Invalid amount')
    }
    const ref = reference as string
    if (this.#transactions.has(ref) || this.pages.has(ref)) {
      return invalid('Duplicate transaction reference, please use a unique tx_ref')
    }
    const link = this.pages.open({
      reference: ref,
      amount,
      currency: currency as string,
      email,
      callback_url: redirect_url as string,
    })
    return { status: 200, body: { status: 'success', message: 'Hosted Link', data: { link } } }
  }

  #payPage(session: CheckoutSessionRecord, payment: CheckoutPayment): PagePayment {
    this.pages.assertUnpaid(session)
    const authorization = this.addCard({
      email: session.email,
      behaviour: payment.behaviour ?? 'approve',
      reusable: payment.reusable ?? true,
    })
    const card = this.#cards.get(authorization)!
    const outcome = chargeCard(card, Date.now())
    const status = outcome.status === 'succeeded' ? 'successful' : outcome.status
    const { reference, amount, currency } = session
    const tx = this.#record(reference, amount, currency, status, outcome.reason, card)
    this.charges.push({ reference, authorization, amount, currency, status: outcome.status })
    session.paid = outcome.status === 'succeeded'
    // Flutterwave sends charge.completed for a failure too.
    const delivery =
      outcome.status === 'pending'
        ? undefined
        : this.pages.deliver((url) => this.sendWebhook(url, this.chargeEvent(reference)))
    const redirect_url = redirectTo(session.callback_url, {
      status: outcome.status === 'succeeded' ? 'successful' : outcome.status,
      tx_ref: reference,
      transaction_id: String(tx.id),
    })
    return [{ reference, status: outcome.status, authorization, redirect_url }, delivery]
  }

  #verify(tx: Transaction | undefined): FakeReply {
    if (!tx) return { status: this.notFoundStatus, body: NOT_FOUND }
    return {
      status: 200,
      body: { status: 'success', message: 'Transaction fetched successfully', data: view(tx) },
    }
  }

  #refund(tx: Transaction | undefined, body: unknown): FakeReply {
    if (!tx) return { status: 404, body: { status: 'error', message: 'Transaction not found', data: null } }
    if (tx.status !== 'successful') return invalid('Only successful transactions can be refunded')
    const requested = ((body ?? {}) as Record<string, unknown>).amount
    const remaining = toMinorUnits(String(tx.amount), tx.currency) - tx.refunded_minor
    let minor = remaining
    if (requested !== undefined) {
      if (typeof requested !== 'number') return invalid('amount must be a number')
      minor = toMinorUnits(String(requested), tx.currency)
    }
    if (minor <= 0 || minor > remaining)
      return invalid('Refund amount is greater than the amount left to refund')
    tx.refunded_minor += minor
    const refund: Refund = {
      id: this.#nextRefundId++,
      tx_id: tx.id,
      reference: tx.tx_ref,
      amount: minor,
      currency: tx.currency,
      status: 'completed',
    }
    this.refunds.push(refund)
    return {
      status: 200,
      body: {
        status: 'success',
        message: 'Transaction refund initiated',
        data: {
          id: refund.id,
          account_id: 17321,
          tx_id: tx.id,
          flw_ref: tx.flw_ref,
          wallet_id: 17911,
          amount_refunded: Number(fromMinorUnits(minor, tx.currency)),
          status: refund.status,
          destination: 'payment_source',
          meta: { source: 'availablebalance' },
          created_at: new Date().toISOString(),
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
    card: FakeCard,
  ): Transaction {
    const id = this.#nextId++
    const tx: Transaction = {
      id,
      tx_ref: reference,
      flw_ref: `FLW-MOCK-${randomBytes(8).toString('hex')}`,
      amount,
      currency,
      status,
      processor_response: reason,
      card,
      created_at: new Date().toISOString(),
      refunded_minor: 0,
    }
    this.#transactions.set(reference, tx)
    return tx
  }
}

function invalid(message: string): FakeReply {
  return { status: 400, body: { status: 'error', message, data: null } }
}

function view(tx: Transaction): Record<string, unknown> {
  return {
    id: tx.id,
    tx_ref: tx.tx_ref,
    flw_ref: tx.flw_ref,
    amount: tx.amount,
    charged_amount: tx.amount,
    app_fee: 0,
    merchant_fee: 0,
    processor_response: tx.processor_response,
    currency: tx.currency,
    status: tx.status,
    payment_type: 'card',
    created_at: tx.created_at,
    customer: { id: 215604089, name: 'Anonymous Customer', email: tx.card.email },
    card: {
      first_6digits: '553188',
      last_4digits: tx.card.last4,
      issuer: 'MASTERCARD  CREDIT',
      country: 'NG',
      type: tx.card.brand.toUpperCase(),
      token: tx.card.authorization,
      expiry: `${tx.card.exp_month}/${tx.card.exp_year.slice(2)}`,
    },
  }
}
