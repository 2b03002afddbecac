/**
 * The one HTTP client both gateways use: JSON in and out, a bearer secret key, a timeout per
 * attempt, and retries with full-jitter exponential backoff. A read (GET) is retried on every
 * failure whose outcome is unknown (network errors, timeouts, 5xx) and on 429. A money-moving
 * request (POST) is retried only on 429, which says it was not processed: after a network error, a
 * timeout or a 5xx it may have been carried out, so it is never sent again here and the caller
 * verifies by reference instead. Every error it throws is a `GatewayError` built without the secret
 * key: fetch's own errors are never passed on, and every text is scrubbed of any echo of the key.
 */
import { GatewayError } from '../core/errors.js'
import { parseJsonLossless } from './lossless-json.js'
import { secretScrubber } from './secret-scrub.js'

/** The part of the fetch API the client needs; Node 20's global `fetch` fits it. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal },
) => Promise<{ status: number; text(): Promise<string> }>

/** One request, relative to the base URL. */
export interface HttpRequest {
  method: 'GET' | 'POST'
  /** Starts with `/`; path segments already encoded. */
  path: string
  query?: Record<string, string>
  body?: unknown
}

/**
 * Whether a request may be sent again when its outcome is unknown: only reads may.
 *
 * @example
 * isResendable({ method: 'GET', path: '/transaction/verify/inv-1' })           // true
 * isResendable({ method: 'POST', path: '/transaction/charge_authorization' }) // false
 */
export function isResendable(request: HttpRequest): boolean {
  return request.method === 'GET'
}

/** A provider's final answer. `body` is the parsed JSON (`undefined` when not JSON), secret-free. */
export interface HttpResponse {
  status: number
  body: unknown
  /** How many attempts were made: above 1 means an earlier attempt's outcome is unknown. */
  attempts: number
}

/** How the client is set up. */
export interface HttpClientOptions {
  /** Names the gateway in errors: `'paystack'`. */
  gateway: string
  baseUrl: string
  secretKey: string
  /** Per attempt, including reading the body. Default 15000. */
  timeoutMs?: number
  /** Retries after the first attempt (a POST only after a 429). Default 2. */
  maxRetries?: number
  /** Backoff before retry n is uniform in [0, min(maxDelayMs, baseDelayMs × 2^(n-1))]. Default 250. */
  baseDelayMs?: number
  /** Default 4000. */
  maxDelayMs?: number
  /** Maps a provider's error answer (any status) to a `GatewayError`; must set `retryable` for 5xx/429. */
  mapError: (response: HttpResponse) => GatewayError
  fetch?: FetchLike
  sleep?: (ms: number) => Promise<void>
  /** In [0, 1); for deterministic backoff in tests. */
  random?: () => number
}

/**
 * Whether an HTTP status means "the outcome is unknown, try again with the same reference".
 *
 * @example
 * isRetryableStatus(503) // true
 * isRetryableStatus(400) // false
 */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500
}

/**
 * Whether an HTTP status blames the merchant rather than the customer: 401 (a wrong, revoked or
 * test/live-mismatched key) and 403 (an account or a feature the gateway has not enabled).
 *
 * @example
 * isMerchantStatus(401) // true
 * isMerchantStatus(400) // false
 */
export function isMerchantStatus(status: number): boolean {
  return status === 401 || status === 403
}

/**
 * A JSON client for one provider.
 *
 * @example
 * const client = new HttpClient({ gateway: 'paystack', baseUrl: 'https://api.paystack.co', secretKey, mapError })
 * const res = await client.request({ method: 'GET', path: '/transaction/verify/inv_1-1' })
 * if (res.status !== 200) throw client.error(res)
 */
export class HttpClient {
  readonly #gateway: string
  readonly #baseUrl: string
  readonly #secretKey: string
  readonly #scrubber: (text: string) => string
  readonly #timeoutMs: number
  readonly #maxRetries: number
  readonly #baseDelayMs: number
  readonly #maxDelayMs: number
  readonly #mapError: (response: HttpResponse) => GatewayError
  readonly #fetch: FetchLike
  readonly #sleep: (ms: number) => Promise<void>
  readonly #random: () => number

  constructor(options: HttpClientOptions) {
    this.#gateway = options.gateway
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '')
    this.#secretKey = options.secretKey
    this.#scrubber = secretScrubber(options.secretKey)
    this.#timeoutMs = options.timeoutMs ?? 15_000
    this.#maxRetries = options.maxRetries ?? 2
    this.#baseDelayMs = options.baseDelayMs ?? 250
    this.#maxDelayMs = options.maxDelayMs ?? 4_000
    this.#mapError = options.mapError
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init))
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)))
    this.#random = options.random ?? Math.random
  }

  /**
   * Sends a request: a GET is retried on network errors, timeouts, 5xx and 429, a POST on 429
   * only. Returns the final answer whatever its status (the caller decides what a 404 means);
   * throws a retryable `GatewayError` when the outcome is unknown (for a POST: after its one send).
   *
   * @example
   * const res = await client.request({ method: 'POST', path: '/refund', body: { transaction: 'inv_1-1' } })
   */
  async request(request: HttpRequest): Promise<HttpResponse> {
    let failure: GatewayError | undefined
    for (let attempt = 1; attempt <= this.#maxRetries + 1; attempt++) {
      if (attempt > 1) await this.#sleep(this.#backoff(attempt - 1))
      const outcome = await this.#attempt(request, attempt)
      if (outcome instanceof GatewayError) failure = outcome
      else if (isRetryableStatus(outcome.status)) failure = this.error(outcome)
      else return outcome
      const refused = !(outcome instanceof GatewayError) && outcome.status === 429
      if (!refused && !isResendable(request)) break
    }
    throw failure
  }

  /**
   * The `GatewayError` for a provider's error answer, through the provider's mapper.
   *
   * @example
   * if (res.status >= 400) throw client.error(res)
   */
  error(response: HttpResponse): GatewayError {
    return this.#mapError(response)
  }

  async #attempt(request: HttpRequest, attempt: number): Promise<HttpResponse | GatewayError> {
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs)
    try {
      const response = await this.#fetch(this.#url(request), {
        method: request.method,
        headers: {
          authorization: `Bearer ${this.#secretKey}`,
          accept: 'application/json',
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        signal: controller.signal,
      })
      const text = this.#scrub(await response.text())
      // Scrubbed again after parsing: a JSON escape (\u0073k_…) can spell the key only once decoded.
      const body = scrubStrings(parseJsonLossless(text), this.#scrubber)
      return { status: response.status, body, attempts: attempt }
    } catch (error) {
      return controller.signal.aborted
        ? this.#unknownOutcome('timeout', `no answer within ${this.#timeoutMs} ms`)
        : this.#unknownOutcome('network_error', `network error (${this.#describe(error)})`)
    } finally {
      clearTimeout(timer)
    }
  }

  #url(request: HttpRequest): string {
    const query = request.query ? `?${new URLSearchParams(request.query).toString()}` : ''
    return `${this.#baseUrl}${request.path}${query}`
  }

  // Full jitter (AWS architecture blog): spreads retries of many clients evenly over the window.
  #backoff(retry: number): number {
    const ceiling = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (retry - 1))
    return Math.floor(this.#random() * ceiling)
  }

  #unknownOutcome(code: string, message: string): GatewayError {
    return new GatewayError({ gateway: this.#gateway, http_status: null, code, message, retryable: true })
  }

  // Only an error code (ECONNREFUSED, UND_ERR_SOCKET) and a scrubbed message leave this client.
  #describe(error: unknown): string {
    const cause = (error as { cause?: { code?: unknown } } | null)?.cause
    const code = cause?.code ?? (error as { code?: unknown } | null)?.code
    if (typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code)) return code
    const message = error instanceof Error ? error.message : 'unknown'
    return this.#scrub(message).slice(0, 200)
  }

  #scrub(text: string): string {
    return this.#scrubber(text)
  }
}

function scrubStrings(value: unknown, scrub: (text: string) => string): unknown {
  if (typeof value === 'string') return scrub(value)
  if (Array.isArray(value)) return value.map((v) => scrubStrings(v, scrub))
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [scrub(k), scrubStrings(v, scrub)]))
}
