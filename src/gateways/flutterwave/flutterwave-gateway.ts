/**
 * The Flutterwave (v3) adapter of the `PaymentGateway` port. Charges go through
 * `POST /v3/tokenized-charges` with our reference as `tx_ref`, sent once: whenever a charge's answer
 * is lost (network error, timeout, 5xx) or is not a clean success or decline, `verify_by_reference`
 * decides, never a second charge.
 */
import { ErrorCode, GatewayError, ValidationError } from '../../core/errors.js'
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
import { HttpClient, type HttpResponse, isMerchantStatus } from '../http-client.js'
import { asRecord, type JsonRecord, readString } from '../json-fields.js'
import { settleByVerify } from '../unknown-outcome.js'
import { toFlutterwaveAmount } from './flutterwave-amounts.js'
import { flutterwaveError, isDeclineEnvelope, isFlutterwaveNotFound } from './flutterwave-errors.js'
import { toAuthorizationResult, toChargeResult, toRefundResult } from './flutterwave-mappers.js'
import { parseFlutterwaveWebhook } from './flutterwave-webhook.js'

/** How to reach Flutterwave. */
export interface FlutterwaveGatewayOptions extends GatewayClientOptions {
  /** `FLWSECK_TEST-…` or `FLWSECK-…`. */
  secretKey: string
  /** The webhook secret hash set in the dashboard: `verif-hash` must equal it. */
  secretHash: string
}

const DEFAULT_BASE_URL = 'https://api.flutterwave.com'

/**
 * A Flutterwave gateway. `baseUrl` is the API root without `/v3`.
 *
 * @example
 * import { flutterwaveGateway } from 'kobometer/flutterwave'
 * const flutterwave = flutterwaveGateway({ secretKey: process.env.FLW_SECRET_KEY!, secretHash: process.env.FLW_SECRET_HASH! })
 * const result = await flutterwave.charge({ reference: 'inv_00042-1', amount: 123450, currency: 'NGN', email, authorization: 'flw-t1nf-…' })
 * // sent as amount 1234.5
 */
export function flutterwaveGateway(options: FlutterwaveGatewayOptions): PaymentGateway {
  return new FlutterwaveGateway(options)
}

class FlutterwaveGateway implements PaymentGateway {
  readonly name = 'flutterwave'
  readonly #secretHash: string
  readonly #client: HttpClient

  constructor(options: FlutterwaveGatewayOptions) {
    checkGatewayOptions(options, ['secretKey', 'secretHash'])
    this.#secretHash = options.secretHash
    this.#client = new HttpClient(clientOptionsFor(this.name, DEFAULT_BASE_URL, options, flutterwaveError))
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    checkChargeRequest(request)
    let res: HttpResponse
    try {
      res = await this.#client.request({
        method: 'POST',
        path: '/v3/tokenized-charges',
        body: {
          token: request.authorization,
          currency: request.currency,
          amount: toFlutterwaveAmount(request.amount, request.currency),
          email: request.email,
          tx_ref: request.reference,
          narration: request.narration ?? request.reference,
          ...(request.metadata ? { meta: request.metadata } : {}),
        },
      })
    } catch (error) {
      return settleByVerify(error, () => this.verify(request.reference, request.currency))
    }
    const data = successData(res)
    // The answer to our own request: a different amount or currency in it is money taken that the
    // caller must see (it flags the payment), never an error that would read as a decline.
    if (data) return toChargeResult(data, request)
    if (res.status < 400 || res.status > 499 || isMerchantStatus(res.status)) throw this.#client.error(res)
    // A 4xx may be a duplicate tx_ref (our own earlier attempt whose answer was lost), a decline in
    // the error-envelope shape, or a request Flutterwave refused. A transaction under our reference
    // settles it; only without one does the envelope decide.
    const found = await this.#verifyData(request.reference)
    if (found) return this.#checked(toChargeResult(found, request), request)
    if (isDeclineEnvelope(res)) {
      const message = readString(asRecord(res.body), 'message') ?? null
      const { reference, amount, currency } = request
      return { reference, status: 'failed', amount, currency, gateway_id: null, message, redirect_url: null }
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

  // Flutterwave Standard: a hosted page for one tx_ref, card only so the payment leaves a token.
  // Sent once (retried only on 429), as it is not idempotent by tx_ref.
  async initializeCheckout(request: CheckoutRequest): Promise<CheckoutSession> {
    checkCheckoutRequest(request)
    const res = await this.#client.request({
      method: 'POST',
      path: '/v3/payments',
      body: {
        tx_ref: request.reference,
        amount: toFlutterwaveAmount(request.amount, request.currency),
        currency: request.currency,
        redirect_url: request.callback_url,
        customer: { email: request.email },
        payment_options: 'card',
        ...(request.metadata ? { meta: request.metadata } : {}),
      },
    })
    const url = readString(successData(res), 'link')
    if (url === undefined) throw this.#client.error(res)
    return { url, reference: request.reference }
  }

  async verifyAuthorization(reference: string): Promise<AuthorizationResult | null> {
    const data = await this.#verifyData(reference)
    return data ? toAuthorizationResult(data, reference) : null
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    checkRefundRequest(request)
    // Refunds take Flutterwave's numeric transaction id; the tx_ref is not accepted there.
    if (request.gateway_id === null || !/^\d+$/.test(request.gateway_id)) {
      throw new ValidationError(
        ErrorCode.VALIDATION_ERROR,
        'flutterwave refunds need the numeric gateway_id',
        {
          path: 'gateway_id',
        },
      )
    }
    const res = await this.#client.request({
      method: 'POST',
      path: `/v3/transactions/${request.gateway_id}/refund`,
      body:
        request.amount === undefined ? {} : { amount: toFlutterwaveAmount(request.amount, request.currency) },
    })
    const data = successData(res)
    if (!data) throw this.#client.error(res)
    return toRefundResult(data, request.currency)
  }

  parseWebhook(rawBody: string | Uint8Array, headers: WebhookHeaders): GatewayWebhookEvent {
    return parseFlutterwaveWebhook(rawBody, headers, this.#secretHash)
  }

  async #verifyData(reference: string): Promise<JsonRecord | undefined> {
    const res = await this.#client.request({
      method: 'GET',
      path: '/v3/transactions/verify_by_reference',
      query: { tx_ref: reference },
    })
    const data = successData(res)
    if (data) return data
    if (isFlutterwaveNotFound(res)) return undefined
    throw this.#client.error(res)
  }

  // The transaction under our reference must be the one we asked for: same tx_ref, amount, currency.
  #checked(result: ChargeResult, request: ChargeRequest): ChargeResult {
    if (
      result.reference !== request.reference ||
      result.currency !== request.currency ||
      result.amount !== request.amount
    ) {
      throw mismatch(
        'reference_conflict',
        `${request.reference} holds ${result.amount} ${result.currency} under ${result.reference}, not ${request.amount} ${request.currency}`,
      )
    }
    return result
  }
}

function successData(res: HttpResponse): JsonRecord | undefined {
  const body = asRecord(res.body)
  if (res.status < 200 || res.status > 299 || body?.status !== 'success') return undefined
  return asRecord(body.data)
}

function mismatch(code: string, message: string): GatewayError {
  return new GatewayError({ gateway: 'flutterwave', http_status: null, code, message, retryable: false })
}
