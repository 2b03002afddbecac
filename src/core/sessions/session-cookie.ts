import { ErrorCode, ValidationError } from '../errors.js'

/** The name of the dashboard's session cookie. */
export const SESSION_COOKIE_NAME = 'kbm_session'

/** What {@link sessionCookie} takes. */
export interface SessionCookieInput {
  /** The session token `sessions.signIn` answered. */
  token: string
  /** When the session ends (ISO-8601, as `session.expires_at`). */
  expires_at: string
  /** Whether the dashboard is served over HTTPS: adds `Secure`. */
  secure: boolean
  /** The path the HTTP API is mounted under (`''` or `/billing`): the cookie's path is `<base>/dashboard`. */
  base_path?: string
  /** Now, in epoch ms (default: the system clock): the cookie's `Max-Age` is the time left. */
  now?: number
}

/** Only `/`-separated path segments of safe characters: nothing that could end the attribute. */
const BASE_PATH = /^(\/[A-Za-z0-9._~!$&'()*+,=:@%-]+)*$/
/** Only base64url tokens, as minted: nothing that could end the cookie's value. */
const COOKIE_VALUE = /^[A-Za-z0-9_-]{1,100}$/

function dashboardPath(base: string | undefined): string {
  const path = (base ?? '').replace(/\/+$/, '')
  if (!BASE_PATH.test(path))
    throw new ValidationError(ErrorCode.INVALID_SESSION, 'base_path must be a path such as /billing', {
      path: 'base_path',
    })
  return `${path}/dashboard`
}

function attributes(path: string, secure: boolean, maxAge: number): string {
  return `; Max-Age=${maxAge}; Path=${path}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`
}

/**
 * The `Set-Cookie` value that keeps a dashboard session in the browser: `HttpOnly` (no script
 * reads it), `SameSite=Strict` (no other site's page sends it), `Path=<base>/dashboard`, `Secure`
 * over HTTPS, and `Max-Age` the session's remaining lifetime in whole seconds.
 *
 * @example
 * const signed = await billing.sessions.signIn({ api_key_secret })
 * if ('token' in signed)
 *   response.headers.set('set-cookie', sessionCookie({ token: signed.token, expires_at: signed.session.expires_at, secure: true }))
 * // 'kbm_session=kbm_os_…; Max-Age=43200; Path=/dashboard; HttpOnly; SameSite=Strict; Secure'
 */
export function sessionCookie(input: SessionCookieInput): string {
  if (typeof input.token !== 'string' || !COOKIE_VALUE.test(input.token))
    throw new ValidationError(ErrorCode.INVALID_SESSION, 'token must be a session token', { path: 'token' })
  const ends = Date.parse(input.expires_at)
  if (!Number.isFinite(ends))
    throw new ValidationError(ErrorCode.INVALID_SESSION, 'expires_at must be an ISO-8601 time', {
      path: 'expires_at',
    })
  const maxAge = Math.max(0, Math.floor((ends - (input.now ?? Date.now())) / 1000))
  return `${SESSION_COOKIE_NAME}=${input.token}${attributes(dashboardPath(input.base_path), input.secure === true, maxAge)}`
}

/**
 * The `Set-Cookie` value that removes the session cookie (on sign-out): same name, path and
 * attributes, empty, `Max-Age=0`.
 *
 * @example
 * clearedSessionCookie({ secure: true }) // 'kbm_session=; Max-Age=0; Path=/dashboard; HttpOnly; SameSite=Strict; Secure'
 */
export function clearedSessionCookie(input: { secure: boolean; base_path?: string }): string {
  return `${SESSION_COOKIE_NAME}=${attributes(dashboardPath(input.base_path), input.secure === true, 0)}`
}

/**
 * The session token in a request's `Cookie` header, or null. Only the value of `kbm_session` is
 * read; a header naming it twice answers null, since a second cookie can be planted by a sibling
 * subdomain and the browser's order cannot tell which is ours.
 *
 * @example
 * sessionTokenFromCookies('theme=dark; kbm_session=kbm_os_abc') // 'kbm_os_abc'
 */
export function sessionTokenFromCookies(header: string | null | undefined): string | null {
  return cookieValue(header, SESSION_COOKIE_NAME)
}

/**
 * The value of one cookie in a `Cookie` header, or null when it is absent, empty, or named twice
 * (a second cookie of the same name can be planted by a sibling subdomain, and the browser's order
 * cannot tell which is ours).
 *
 * @example
 * cookieValue('theme=dark; kbm_signin=xyz', 'kbm_signin') // 'xyz'
 */
export function cookieValue(header: string | null | undefined, name: string): string | null {
  if (typeof header !== 'string') return null
  const values = header
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${name}=`))
    .map((part) => part.slice(name.length + 1))
  return values.length === 1 && values[0] !== '' ? (values[0] as string) : null
}
