/**
 * The one place Paystack's error envelope becomes a `GatewayError`, and the few error answers the
 * adapter treats as answers: not found, a duplicate reference, the card regulator. Paystack's
 * `message` is prose that changes; decisions use `code`, `type`, the status and `data` first.
 */
import { GatewayError } from '../../core/errors.js'
import { type HttpResponse, isMerchantStatus, isRetryableStatus } from '../http-client.js'
import { asRecord, readString } from '../json-fields.js'

const GATEWAY = 'paystack'

/**
 * The `GatewayError` for a Paystack error answer: `{ status: false, message, type?, code? }`.
 *
 * @example
 * paystackError({ status: 400, body: { status: false, message: 'Duplicate Transaction Reference', code: 'duplicate_reference' }, attempts: 1 })
 * // GatewayError { gateway_code: 'duplicate_reference', http_status: 400, retryable: false }
 * paystackError({ status: 401, body: { status: false, message: 'Invalid key' }, attempts: 1 })
 * // GatewayError { code: 'GATEWAY_MERCHANT_ERROR', gateway_code: 'unauthorized', merchant: true }
 */
export function paystackError(response: HttpResponse): GatewayError {
  const body = asRecord(response.body)
  return new GatewayError({
    gateway: GATEWAY,
    http_status: response.status,
    code: readString(body, 'code') ?? readString(body, 'type') ?? codeForStatus(response.status),
    message: readString(body, 'message') ?? `HTTP ${response.status}`,
    retryable: isRetryableStatus(response.status),
    merchant: isMerchantStatus(response.status),
  })
}

/**
 * Whether Paystack answered "no transaction with this reference": 404 "Entity not found" per its
 * spec, or the 400 "Transaction reference not found" live systems send.
 *
 * @example
 * isPaystackNotFound({ status: 404, body: { status: false, message: 'Entity not found' }, attempts: 1 }) // true
 */
export function isPaystackNotFound(response: HttpResponse): boolean {
  if (response.status === 404) return true
  if (response.status !== 400) return false
  const body = asRecord(response.body)
  const code = readString(body, 'code') ?? ''
  // The 400 variant carries no documented code, so its message is the only signal there is.
  return /not[_ ]found/i.test(code) || /reference not found/i.test(readString(body, 'message') ?? '')
}

/**
 * Whether Paystack refused a charge because its reference was used before.
 *
 * @example
 * isDuplicateReference(res) // true for 400 { code: 'duplicate_reference' }
 */
export function isDuplicateReference(response: HttpResponse): boolean {
  return readString(asRecord(response.body), 'code') === 'duplicate_reference'
}

/**
 * When the card regulator holds a card (10 consecutive failures: one try per 24 h), the instant it
 * may be tried again (`data.retry_by`); otherwise undefined.
 *
 * @example
 * regulatedUntil({ status: 400, body: { status: false, message: 'Charge cannot be fulfilled until …', data: { retry_by: '2025-01-02T10:00:00.000Z' } }, attempts: 1 })
 * // '2025-01-02T10:00:00.000Z'
 */
export function regulatedUntil(response: HttpResponse): string | undefined {
  const body = asRecord(response.body)
  if (body?.status === true) return undefined
  return readString(asRecord(body?.data), 'retry_by')
}

function codeForStatus(status: number): string {
  if (status === 401) return 'unauthorized'
  if (status === 404) return 'not_found'
  if (status === 429) return 'rate_limited'
  if (status >= 500) return 'server_error'
  return status >= 400 ? 'invalid_request' : 'unexpected_response'
}
