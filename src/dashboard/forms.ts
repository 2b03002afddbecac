import { randomBytes } from 'node:crypto'
import { BillingError, ErrorCode } from '../core/errors.js'
import { readBytes } from '../http/read-body.js'

/** Dashboard forms are small: this is far more than any of them sends. */
const FORM_LIMITS = { maxBytes: 16 * 1024, timeoutMs: 10_000, maxDepth: 1 }

/**
 * A posted HTML form (`application/x-www-form-urlencoded`, at most 16 KiB); a field named twice
 * is refused, like a JSON key named twice.
 *
 * @example
 * const form = await readForm(request) // form.get('csrf')
 */
export async function readForm(request: Request): Promise<Map<string, string>> {
  assertSameOrigin(request)
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase()
  if (type !== 'application/x-www-form-urlencoded')
    throw new BillingError(
      ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      'send the form as application/x-www-form-urlencoded',
      {},
    )
  const text = new TextDecoder('utf-8', { fatal: false }).decode(await readBytes(request, FORM_LIMITS))
  const form = new Map<string, string>()
  for (const [name, value] of new URLSearchParams(text)) {
    if (form.has(name))
      throw new BillingError(ErrorCode.INVALID_QUERY, `the form sends ${name} twice`, { path: name })
    form.set(name, value)
  }
  return form
}

/**
 * Refuses a form posted from another site: a browser names the page's origin in `Origin` (and
 * `Sec-Fetch-Site`) on every POST, so a cross-site post is caught even before its CSRF token is
 * checked, the sign-in form included (which has no session yet to tie a token to).
 *
 * @example
 * assertSameOrigin(request)
 */
export function assertSameOrigin(request: Request): void {
  const site = request.headers.get('sec-fetch-site')
  const origin = request.headers.get('origin')
  // Hosts, not origins: behind a proxy that ends TLS the request arrives as http:// on the same host.
  const host = new URL(request.url).host
  if (site === 'cross-site' || site === 'same-site' || (origin !== null && hostOf(origin) !== host))
    throw new BillingError(ErrorCode.FORBIDDEN, 'forms are accepted only from pages of this dashboard', {})
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host
  } catch {
    return null
  }
}

/**
 * A random token for a form or a one-time cookie: 32 bytes, base64url.
 *
 * @example
 * const nonce = randomToken()
 */
export function randomToken(): string {
  return randomBytes(32).toString('base64url')
}
