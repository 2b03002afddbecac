/**
 * Checks what callers hand a gateway adapter, before anything goes over the wire. Messages never
 * echo a value: an options object carries the secret key.
 */
import { z } from 'zod'
import { isHttpUrl } from '../core/checkout/callback-url.js'
import { BillingError, ErrorCode, ValidationError, validationErrorFromZod } from '../core/errors.js'
import { getCurrency } from '../core/money/currencies.js'
import type { ChargeRequest, CheckoutRequest, RefundRequest } from '../core/payments/gateway-port.js'
import type { FetchLike, HttpClientOptions } from './http-client.js'

/** What every gateway factory accepts besides its secrets. */
export interface GatewayClientOptions {
  /** Overrides the provider's API root (a local fake in tests). */
  baseUrl?: string
  /** Per attempt. Default 15000. */
  timeoutMs?: number
  /**
   * Retries after the first attempt: of a read (verify) on network errors, timeouts, 5xx and 429;
   * of a charge or refund only on 429, since any other failure may have moved money. Default 2.
   */
  maxRetries?: number
  /** Full-jitter backoff base and ceiling, in ms. Defaults 250 and 4000. */
  retryDelayMs?: { base?: number; max?: number }
  /** A fetch to use instead of the global one. */
  fetch?: FetchLike
}

const clientOptionsSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  timeoutMs: z.number().int().positive().max(600_000).optional(),
  maxRetries: z.number().int().min(0).max(10).optional(),
  retryDelayMs: z
    .object({ base: z.number().min(0).optional(), max: z.number().min(0).optional() })
    .optional(),
  fetch: z.custom<unknown>((v) => typeof v === 'function').optional(),
})

/**
 * Checks a factory's options; `secrets` names the secret fields, which must be non-empty strings.
 *
 * @example
 * checkGatewayOptions(options, ['secretKey']) // throws BillingError INVALID_OPTIONS on a bad value
 */
export function checkGatewayOptions(options: object, secrets: readonly string[]): void {
  for (const name of secrets) {
    const value = (options as Record<string, unknown>)[name]
    if (typeof value !== 'string' || value.trim() === '') {
      throw new BillingError(ErrorCode.INVALID_OPTIONS, `${name} must be a non-empty string`, { path: name })
    }
  }
  const known = Object.fromEntries(
    Object.entries(options).filter(([key]) => key in clientOptionsSchema.shape),
  )
  const parsed = clientOptionsSchema.safeParse(known)
  if (!parsed.success) {
    const error = validationErrorFromZod(parsed.error, ErrorCode.INVALID_OPTIONS)
    throw new BillingError(ErrorCode.INVALID_OPTIONS, error.message, error.details)
  }
}

// Paystack's rule for references; Flutterwave's tx_ref is laxer, so one rule serves both.
const REFERENCE = /^[A-Za-z0-9.=-]{1,100}$/

/**
 * Checks a charge request: a reference both gateways accept, a positive integer of minor units, a
 * known currency.
 *
 * @example
 * checkChargeRequest({ reference: 'inv_1', ... }) // throws ValidationError INVALID_CHARGE ('_' is not allowed)
 */
export function checkChargeRequest(request: ChargeRequest): void {
  if (typeof request.reference !== 'string' || !REFERENCE.test(request.reference)) {
    throw new ValidationError(
      ErrorCode.INVALID_CHARGE,
      'reference must be 1–100 letters, digits, "-", "." or "="',
      { path: 'reference' },
    )
  }
  checkAmount(request.amount, 'amount')
  getCurrency(request.currency)
  for (const field of ['email', 'authorization'] as const) {
    if (typeof request[field] !== 'string' || request[field] === '') {
      throw new ValidationError(ErrorCode.INVALID_CHARGE, `${field} must be a non-empty string`, {
        path: field,
      })
    }
  }
}

/**
 * Checks a hosted-checkout request: a reference both gateways accept, a positive integer of minor
 * units, a known currency, an email, and an absolute http(s) callback URL.
 *
 * @example
 * checkCheckoutRequest({ reference: 'kbm-in-1-1', amount: 500000, currency: 'NGN', email: 'ada@example.com', callback_url: 'ftp://x' })
 * // throws ValidationError INVALID_CHARGE at callback_url
 */
export function checkCheckoutRequest(request: CheckoutRequest): void {
  checkChargeRequest({ ...request, authorization: 'hosted-checkout' })
  if (typeof request.callback_url !== 'string' || !isHttpUrl(request.callback_url)) {
    throw new ValidationError(ErrorCode.INVALID_CHARGE, 'callback_url must be an absolute http(s) URL', {
      path: 'callback_url',
    })
  }
}

/**
 * Checks a refund request's amount and currency.
 *
 * @example
 * checkRefundRequest({ reference: 'inv_1-1', gateway_id: null, amount: 0, currency: 'NGN' }) // throws INVALID_AMOUNT
 */
export function checkRefundRequest(request: RefundRequest): void {
  if (request.amount !== undefined) checkAmount(request.amount, 'amount')
  getCurrency(request.currency)
}

function checkAmount(amount: unknown, path: string): void {
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) {
    throw new ValidationError(ErrorCode.INVALID_AMOUNT, `${path} must be a positive integer of minor units`, {
      path,
    })
  }
}

/**
 * The HTTP client options of a gateway built from its public options: one mapping for every
 * provider, so both adapters configure timeouts, retries and backoff the same way.
 *
 * @example
 * new HttpClient(clientOptionsFor('paystack', 'https://api.paystack.co', options, paystackError))
 */
export function clientOptionsFor(
  gateway: string,
  defaultBaseUrl: string,
  options: GatewayClientOptions & { secretKey: string },
  mapError: HttpClientOptions['mapError'],
): HttpClientOptions {
  return {
    gateway,
    baseUrl: options.baseUrl ?? defaultBaseUrl,
    secretKey: options.secretKey,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
    baseDelayMs: options.retryDelayMs?.base,
    maxDelayMs: options.retryDelayMs?.max,
    fetch: options.fetch,
    mapError,
  }
}
