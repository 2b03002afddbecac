import { ErrorCode, ValidationError } from '../errors.js'

/** What `createBilling({ sessions })` takes. */
export interface SessionOptions {
  /** How long a dashboard sign-in lasts: 1 minute to 30 days (default 12 hours). */
  operatorTtlMs?: number
}

/** What `createBilling({ portal })` takes. */
export interface PortalOptions {
  /**
   * Where the dashboard is served, as an absolute http(s) URL (`https://billing.example.com/dashboard`)
   * or a path (`/billing/dashboard`); portal links are `<baseUrl>/portal/<token>`. Default
   * `'/dashboard'`: a link relative to the host's own origin, for an HTTP API mounted at its root.
   */
  baseUrl?: string
}

/** How sessions of one billing instance are made. */
export interface SessionSettings {
  readonly operatorTtlMs: number
  readonly portalBaseUrl: string
}

/** The shortest and longest lifetime of any session. */
export const SESSION_TTL_BOUNDS = Object.freeze({ min: 60_000, max: 30 * 24 * 3_600_000 })

const DEFAULT_OPERATOR_TTL_MS = 12 * 3_600_000

/**
 * Whether `value` is a whole number of ms within {@link SESSION_TTL_BOUNDS}.
 *
 * @example
 * isSessionTtl(3_600_000) // true
 */
export function isSessionTtl(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isSafeInteger(value) &&
    value >= SESSION_TTL_BOUNDS.min &&
    value <= SESSION_TTL_BOUNDS.max
  )
}

/**
 * Whether `value` is an absolute http(s) URL of at most 2,000 characters: a return URL or a portal
 * base can never be `javascript:` or another scheme a page would run.
 *
 * @example
 * isHttpUrl('javascript:alert(1)') // false
 */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 2_000 || /[\s<>"'`]/.test(value)) return false
  try {
    const url = new URL(value)
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === ''
    )
  } catch {
    return false
  }
}

function portalBase(value: unknown): string {
  if (value === undefined) return '/dashboard'
  const base = typeof value === 'string' ? value.replace(/\/+$/, '') : value
  const isPath = typeof base === 'string' && /^(\/[A-Za-z0-9._~!$&'()*+,=:@%-]+)+$/.test(base)
  if (!isPath && !(isHttpUrl(base) && !/[?#]/.test(base)))
    throw new ValidationError(
      ErrorCode.INVALID_OPTIONS,
      'portal.baseUrl must be an http(s) URL or a path, without a query or fragment',
      { path: 'portal.baseUrl' },
    )
  return base
}

/**
 * Reads `createBilling`'s `sessions` and `portal` options; a bad one → `ValidationError`
 * (`INVALID_OPTIONS`) naming it.
 *
 * @example
 * parseSessionOptions({ operatorTtlMs: 3_600_000 }, { baseUrl: 'https://billing.example.com/dashboard' })
 */
export function parseSessionOptions(sessions?: SessionOptions, portal?: PortalOptions): SessionSettings {
  const ttl = sessions?.operatorTtlMs ?? DEFAULT_OPERATOR_TTL_MS
  if (!isSessionTtl(ttl))
    throw new ValidationError(
      ErrorCode.INVALID_OPTIONS,
      `sessions.operatorTtlMs must be whole ms from ${SESSION_TTL_BOUNDS.min} to ${SESSION_TTL_BOUNDS.max}`,
      { path: 'sessions.operatorTtlMs' },
    )
  return Object.freeze({ operatorTtlMs: ttl, portalBaseUrl: portalBase(portal?.baseUrl) })
}
