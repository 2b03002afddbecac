import {
  BillingError,
  ConflictError,
  ErrorCode,
  GatewayError,
  NotFoundError,
  SignatureVerificationError,
  ValidationError,
} from '../core/errors.js'
import { errorName, type Logger } from '../core/logger.js'

/** The body of every error answer: `{ error: { code, message, path?, details? } }`. */
export interface ErrorBody {
  error: { code: string; message: string; path?: string; details?: Record<string, unknown> }
}

/** Codes answered with a status of their own; the rest follow the error's class. */
const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  // A malformed request rather than a well-formed one that breaks a rule: 400, not 422.
  INVALID_JSON: 400,
  DUPLICATE_JSON_KEY: 400,
  JSON_TOO_DEEP: 400,
  INVALID_ENCODING: 400,
  INVALID_QUERY: 400,
  INVALID_BATCH: 400,
  BATCH_TOO_LARGE: 400,
  INVALID_STATE: 409,
  NO_PAYMENT_METHOD: 409,
  NOT_REUSABLE: 409,
  GATEWAY_NOT_CONFIGURED: 422,
  CHECKOUT_NOT_SUPPORTED: 422,
  STORAGE_UNAVAILABLE: 503,
  CLOSED: 503,
}

/** Status of a kobometer error on the wire. */
export function statusOf(error: BillingError): number {
  const byCode = STATUS_BY_CODE[error.code]
  if (byCode !== undefined) return byCode
  if (error instanceof SignatureVerificationError) return 401
  if (error instanceof ValidationError) return 422
  if (error instanceof NotFoundError) return 404
  if (error instanceof ConflictError) return 409
  if (error instanceof GatewayError) return 502
  return 500
}

/** Details safe to show a client: validation issues and ids, never a cause or a gateway's raw answer. */
function publicDetails(error: BillingError): Record<string, unknown> | undefined {
  const { path: _path, cause: _cause, raw: _raw, ...rest } = error.details as Record<string, unknown>
  return Object.keys(rest).length === 0 ? undefined : rest
}

/**
 * The JSON answer for anything a route threw. A kobometer error below 500 keeps its code, message,
 * path and details; a 5xx says only what the client can act on (`STORAGE_UNAVAILABLE`: retry), and
 * anything else is `INTERNAL_ERROR` with a fixed message. Nothing internal (a stack, a driver's
 * message, a SQL statement) is ever in the answer; 5xx are logged with the error's name.
 *
 * @example
 * return errorResponse(new NotFoundError('customer cus_9 does not exist', { id: 'cus_9' }), logger)
 */
export function errorResponse(
  error: unknown,
  logger: Logger,
  headers: Record<string, string> = {},
): Response {
  const known = error instanceof BillingError ? error : null
  const status = known === null ? 500 : statusOf(known)
  let body: ErrorBody
  if (known !== null && status < 500) {
    const details = publicDetails(known)
    if (typeof known.details.retry_after === 'number')
      headers = { 'retry-after': String(known.details.retry_after), ...headers }
    body = {
      error: {
        code: known.code,
        message: known.message,
        ...(typeof known.details.path === 'string' ? { path: known.details.path } : {}),
        ...(details === undefined ? {} : { details }),
      },
    }
  } else if (known !== null && status === 503) {
    body = { error: { code: known.code, message: 'the service is unavailable for a moment: retry' } }
    headers = { 'retry-after': '1', ...headers }
  } else if (known !== null && status === 502) {
    body = {
      error: { code: known.code, message: 'the payment gateway did not answer as expected: retry later' },
    }
  } else {
    logger.error('http request failed', { error: errorName(error), code: known?.code ?? null })
    body = { error: { code: ErrorCode.INTERNAL_ERROR, message: 'internal error' } }
  }
  return jsonResponse(body, status, headers)
}

/**
 * A JSON answer with the headers every API answer carries.
 *
 * @example
 * return jsonResponse({ id: 'cus_1' }, 200)
 */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...headers,
    },
  })
}
