import { randomBytes, timingSafeEqual } from 'node:crypto'
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
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase()
  if (type !== 'application/x-www-form-urlencoded')
    throw new BillingError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'send the form as application/x-www-form-urlencoded', {})
  const text = new TextDecoder('utf-8', { fatal: false }).decode(await readBytes(request, FORM_LIMITS))
  const form = new Map<string, string>()
  for (const [name, value] of new URLSearchParams(text)) {
    if (form.has(name)) throw new BillingError(ErrorCode.INVALID_QUERY, `the form sends ${name} twice`, { path: name })
    form.set(name, value)
  }
  return form
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

/**
 * Whether two tokens are the same, in constant time; a missing one never matches.
 *
 * @example
 * sameToken(cookieValue, form.get('csrf'))
 */
export function sameToken(a: string | null | undefined, b: string | null | undefined): boolean {
  if (typeof a !== 'string' || typeof b !== 'string' || a === '') return false
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * The value of one cookie in a `Cookie` header, or null; a cookie named twice answers null.
 *
 * @example
 * cookieValue('a=1; kbm_signin=xyz', 'kbm_signin') // 'xyz'
 */
export function cookieValue(header: string | null, name: string): string | null {
  const found = (header ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${name}=`))
  return found.length === 1 ? (found[0] as string).slice(name.length + 1) : null
}
