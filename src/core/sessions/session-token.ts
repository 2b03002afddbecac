import { createHmac, randomBytes } from 'node:crypto'
import type { SessionKind } from '../ports/index.js'

/** Every token starts with its kind's prefix, so a token of the other kind is refused before any lookup. */
const PREFIX: Readonly<Record<SessionKind, string>> = Object.freeze({
  operator: 'kbm_os_',
  portal: 'kbm_ps_',
})

/** The prefix and 43 base64url characters: the exact shape of every token made here. */
const SHAPE: Readonly<Record<SessionKind, RegExp>> = Object.freeze({
  operator: /^kbm_os_[A-Za-z0-9_-]{43}$/,
  portal: /^kbm_ps_[A-Za-z0-9_-]{43}$/,
})

/** What the CSRF token of a session is the HMAC of, keyed with the session's token. */
const CSRF_LABEL = 'kobometer csrf v1'

/**
 * A new session token: its kind's prefix and 32 random bytes in base64url (256 bits). Minted on
 * every sign-in and portal link; a token a client brings is never adopted.
 *
 * @example
 * newSessionToken('operator') // 'kbm_os_3q2-7wAbC…'
 */
export function newSessionToken(kind: SessionKind): string {
  return `${PREFIX[kind]}${randomBytes(32).toString('base64url')}`
}

/**
 * Whether a value has the shape of a token of `kind` made by {@link newSessionToken}; anything
 * else is refused before any lookup.
 *
 * @example
 * isSessionTokenShaped('kbm_os_x', 'operator') // false
 */
export function isSessionTokenShaped(value: unknown, kind: SessionKind): value is string {
  return typeof value === 'string' && SHAPE[kind].test(value)
}

/**
 * The CSRF token of a session: HMAC-SHA256 of a fixed label keyed with the session token, in
 * base64url. Only a holder of the session token can compute it, and the browser keeps that token
 * in an HttpOnly cookie, so a page of another origin can neither read nor forge it; nothing of it
 * is stored.
 *
 * @example
 * csrfTokenOf('kbm_os_…').length // 43
 */
export function csrfTokenOf(token: string): string {
  return createHmac('sha256', token).update(CSRF_LABEL, 'utf8').digest('base64url')
}

export { sameSecret } from '../same-secret.js'
