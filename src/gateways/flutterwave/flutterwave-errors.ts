/**
 * The one place Flutterwave's error answers become `GatewayError`s: the envelope
 * `{ status: 'error', message, data: null }` (400 validation, 401 authorization) and the server-fault
 * shape `{ error_id, message, code: 'app_error' }`. Also what the adapter treats as answers: not
 * found, and declines that arrive as an error envelope.
 */
import { GatewayError } from '../../core/errors.js'
import { type HttpResponse, isMerchantStatus, isRetryableStatus } from '../http-client.js'
import { asRecord, readString } from '../json-fields.js'

const GATEWAY = 'flutterwave'

/**
 * The `GatewayError` for a Flutterwave error answer.
 *
 * @example
 * flutterwaveError({ status: 401, body: { status: 'error', message: 'Authorization required', data: null }, attempts: 1 })
 * // GatewayError { code: 'GATEWAY_MERCHANT_ERROR', gateway_code: 'unauthorized', http_status: 401, retryable: false }
 */
export function flutterwaveError(response: HttpResponse): GatewayError {
  const body = asRecord(response.body)
  return new GatewayError({
    gateway: GATEWAY,
    http_status: response.status,
    code: readString(body, 'code') ?? codeForStatus(response.status),
    message: readString(body, 'message') ?? `HTTP ${response.status}`,
    retryable: isRetryableStatus(response.status),
    merchant: isMerchantStatus(response.status),
  })
}

/**
 * Whether Flutterwave answered "no such transaction". Which status it uses is unconfirmed (400 or
 * 404), so both count when the envelope carries no data.
 *
 * @example
 * isFlutterwaveNotFound({ status: 400, body: { status: 'error', message: 'No transaction was found for this id', data: null }, attempts: 1 }) // true
 */
export function isFlutterwaveNotFound(response: HttpResponse): boolean {
  if (response.status === 404) return true
  if (response.status !== 400) return false
  const body = asRecord(response.body)
  // The envelope carries no code: its message is the only signal Flutterwave gives.
  return body?.data == null && /no transaction|not found/i.test(readString(body, 'message') ?? '')
}

// Issuer and processor declines, in the words Flutterwave relays from them. Anything else in a 400
// is our request's fault (a bad token, an email that does not own it, a missing field).
const DECLINE =
  /insufficient|declined|do not honou?r|not permitted|restricted|expired card|exceeds? .*limit|limit exceeded|lost card|stolen|pick ?up card|transaction not allowed|card blocked/i

/**
 * Whether a 4xx envelope is a decline of the card, rather than a request we got wrong.
 *
 * @example
 * isDeclineEnvelope({ status: 400, body: { status: 'error', message: 'Insufficient funds', data: null }, attempts: 1 }) // true
 * isDeclineEnvelope({ status: 400, body: { status: 'error', message: 'Invalid token', data: null }, attempts: 1 })      // false
 */
export function isDeclineEnvelope(response: HttpResponse): boolean {
  if (response.status < 400 || response.status > 499 || response.status === 401 || response.status === 429) {
    return false
  }
  return DECLINE.test(readString(asRecord(response.body), 'message') ?? '')
}

function codeForStatus(status: number): string {
  if (status === 401) return 'unauthorized'
  if (status === 404) return 'not_found'
  if (status === 429) return 'rate_limited'
  if (status >= 500) return 'server_error'
  return status >= 400 ? 'validation_error' : 'unexpected_response'
}
