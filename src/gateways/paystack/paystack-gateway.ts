/**
 * The Paystack adapter of the `PaymentGateway` port. Charges go through
 * `POST /transaction/charge_authorization` with our own reference, which is Paystack's only
 * idempotency guard. A charge is sent once: whenever its outcome is unknown (or an earlier
 * attempt's), the answer comes from `GET /transaction/verify/:reference`, never from a second
 * charge.
 */
import { GatewayError } from '../../core/errors.js'
import type {
  AuthorizationResult,
  ChargeRequest,
  ChargeResult,
  CheckoutRequest,
  CheckoutSession,
  GatewayWebhookEvent,
  PaymentGateway,
  RefundRequest,
  RefundResult,
  WebhookHeaders,
} from '../../core/payments/gateway-port.js'
import {
  checkChargeRequest,
  checkCheckoutRequest,
  checkGatewayOptions,
  checkRefundRequest,
  clientOptionsFor,
  type GatewayClientOptions,
} from '../gateway-input.js'
import { HttpClient, type HttpResponse } from '../http-client.js'
import { asRecord, type JsonRecord, readString } from '../json-fields.js'
import { settleByVerify } from '../unknown-outcome.js'
import { isDuplicateReference, isPaystackNotFound, paystackError, regulatedUntil } from './paystack-errors.js'
import { toAuthorizationResult, toChargeResult, toRefundResult } from './paystack-mappers.js'
import { parsePaystackWebhook } from './paystack-webhook.js'

/** How to reach Paystack. */
export interface PaystackGatewayOptions extends GatewayClientOptions {
  /** `sk_test_…` or `sk_live_…`; it also keys webhook signatures. */
  secretKey: string
}

const DEFAULT_BASE_URL = 'https://api.paystack.co'

/**
 * A Paystack gateway.
 *
 * @example
 * import { paystackGateway } from 'kobometer/paystack'
 * const paystack = paystackGateway({ secretKey: process.env.PAYSTACK_SECRET_KEY! })
 * const result = await paystack.charge({ reference: 'inv_00042-1', amount: 500000, currency: 'NGN', email, authorization: 'AUTH_8dfhjjdt' })
 */
export function paystackGateway(options: PaystackGatewayOptions): PaymentGateway {
  return new PaystackGateway(options)
}

class PaystackGateway implements PaymentGateway {
  readonly name = 'paystack'
  readonly #secretKey: string
  readonly #client: HttpClient

  constructor(options: PaystackGatewayOptions) {
    checkGatewayOptions(options, ['secretKey'])
    this.#secretKey = options.secretKey
    this.#client = new HttpClient(clientOptionsFor(this.name, DEFAULT_BASE_URL, options, paystackError))
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    checkChargeRequest(request)
    let res: HttpResponse
    try {
      res = await this.#client.request({
        method: 'POST',
        path: '/transaction/charge_authorization',
        body: {
          email: request.email,
          amount: request.amount,
          currency: request.currency,
          authorization_code: request.authorization,
          reference: request.reference,
          ...(request.metadata ? { metadata: request.metadata } : {}),
        },
      })
    } catch (error) {
      return settleByVerify(error, () => this.verify(request.reference, request.currency))
    }
    const data = successData(res)
    if (data) return toChargeResult(data, request)
    // The reference exists already: a lost answer to our own earlier attempt, or a rerun after a
    // crash. Either way the transaction Paystack holds is the answer.
    if (isDuplicateReference(res)) return this.#resolveByVerify(request, res)
    const retryBy = regulatedUntil(res)
    if (retryBy !== undefined) {
      const message =
        readString(asRecord(res.body), 'message') ?? `Charge cannot be fulfilled until ${retryBy}`
      return { ...failedAttempt(request), message }
    }
    throw this.#client.error(res)
  }

  async verify(reference: string, currency: string): Promise<ChargeResult | null> {
    const data = await this.#verifyData(reference)
    if (!data) return null
    const result = toChargeResult(data, { reference, currency })
    if (result.reference !== reference || result.currency !== currency) {
      throw mismatch(
        'reference_mismatch',
        `verify of ${reference} answered ${result.reference} in ${result.currency}`,
      )
    }
    return result
  }

  // Moves no money, so it is sent once like a charge (retried only on 429): a lost answer is a
  // retryable error, and the caller starts over under a new reference.
  async initializeCheckout(request: CheckoutRequest): Promise<CheckoutSession> {
    checkCheckoutRequest(request)
    const res = await this.#client.request({
      method: 'POST',
      path: '/transaction/initialize',
      body: {
        email: request.email,
        amount: request.amount,
        currency: request.currency,
        reference: request.reference,
        callback_url: request.callback_url,
        ...(request.metadata ? { metadata: request.metadata } : {}),
      },
    })
    const url = readString(successData(res), 'authorization_url')
    if (url === undefined) throw this.#client.error(res)
    return { url, reference: readString(successData(res), 'reference') ?? request.reference }
  }

  async verifyAuthorization(reference: string): Promise<AuthorizationResult | null> {
    const data = await this.#verifyData(reference)
    return data ? toAuthorizationResult(data, reference) : null
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    checkRefundRequest(request)
    const res = await this.#client.request({
      method: 'POST',
      path: '/refund',
      body: {
        transaction: request.gateway_id ?? request.reference,
        ...(request.amount === undefined ? {} : { amount: request.amount }),
        currency: request.currency,
      },
    })
    const data = successData(res)
    if (!data) throw this.#client.error(res)
    return toRefundResult(data)
  }

  parseWebhook(rawBody: string | Uint8Array, headers: WebhookHeaders): GatewayWebhookEvent {
    return parsePaystackWebhook(rawBody, headers, this.#secretKey)
  }

  async #verifyData(reference: string): Promise<JsonRecord | undefined> {
    const res = await this.#client.request({
      method: 'GET',
      path: `/transaction/verify/${encodeURIComponent(reference)}`,
    })
    const data = successData(res)
    if (data) return data
    if (isPaystackNotFound(res)) return undefined
    throw this.#client.error(res)
  }

  async #resolveByVerify(request: ChargeRequest, duplicate: HttpResponse): Promise<ChargeResult> {
    const found = await this.verify(request.reference, request.currency)
    if (!found) throw this.#client.error(duplicate)
    if (found.amount !== request.amount) {
      throw mismatch(
        'reference_conflict',
        `reference ${request.reference} was used for ${found.amount}, not ${request.amount}`,
      )
    }
    return found
  }
}

function successData(res: HttpResponse): JsonRecord | undefined {
  const body = asRecord(res.body)
  if (res.status < 200 || res.status > 299 || body?.status !== true) return undefined
  return asRecord(body.data)
}

function failedAttempt(request: ChargeRequest): ChargeResult {
  const { reference, amount, currency } = request
  return {
    reference,
    status: 'failed',
    amount,
    currency,
    gateway_id: null,
    message: null,
    redirect_url: null,
  }
}

function mismatch(code: string, message: string): GatewayError {
  return new GatewayError({ gateway: 'paystack', http_status: null, code, message, retryable: false })
}
