import { ErrorCode, NotFoundError, ValidationError } from '../errors.js'
import { isLookupKey } from '../text.js'
import { isoTime } from '../time/iso-time.js'
import { openSession, type SessionContext } from './open-session.js'
import { isHttpUrl, isSessionTtl, SESSION_TTL_BOUNDS } from './session-options.js'
import { revokeSessionById } from './session-revocation.js'
import type { PortalSession, PortalSessionInput, Session } from './types.js'

/** `billing.portal`: links that show one customer their own billing, and nothing of anyone else's. */
export interface PortalApi {
  /**
   * A portal link for one existing customer (unknown → `NotFoundError`), working for
   * `expires_in_ms` (1 minute to 30 days, default 1 hour) until revoked. The link is the only copy
   * of its token: hand it to that customer alone.
   */
  createSession(input: PortalSessionInput): Promise<PortalSession>
  /** Ends a portal link at once in this process (in others within 30 s). Unknown → `NotFoundError`. */
  revokeSession(id: string): Promise<Session>
}

const DEFAULT_PORTAL_TTL_MS = 3_600_000

const invalid = (path: string, message: string) =>
  new ValidationError(ErrorCode.INVALID_SESSION, message, { path })

async function createSession(ctx: SessionContext, input: PortalSessionInput): Promise<PortalSession> {
  if (typeof input !== 'object' || input === null) throw invalid('', 'must be an object')
  const { customer_id, expires_in_ms, return_url } = input
  const ttl = expires_in_ms ?? DEFAULT_PORTAL_TTL_MS
  if (!isSessionTtl(ttl))
    throw invalid(
      'expires_in_ms',
      `must be whole ms from ${SESSION_TTL_BOUNDS.min} to ${SESSION_TTL_BOUNDS.max}`,
    )
  if (return_url !== undefined && !isHttpUrl(return_url))
    throw invalid('return_url', 'must be an absolute http(s) URL of at most 2000 characters')
  const customer = isLookupKey(customer_id) ? await ctx.storage.customers.get(customer_id) : null
  if (customer === null)
    throw new NotFoundError(`customer ${String(customer_id)} does not exist`, {
      id: customer_id,
      resource: 'customer',
    })
  const { token, record } = await openSession(ctx, {
    kind: 'portal',
    customer_id: customer.id,
    api_key_id: null,
    return_url: return_url ?? null,
    expires_at: ctx.now() + ttl,
  })
  return {
    id: record.id,
    customer_id: customer.id,
    url: `${ctx.sessions.portalBaseUrl}/portal/${token}`,
    expires_at: isoTime(record.expires_at),
  }
}

/**
 * The `portal` namespace of a billing instance on `ctx`.
 *
 * @example
 * const { url } = await portalNamespace(ctx).createSession({ customer_id: 'cus_123' })
 */
export function portalNamespace(ctx: SessionContext): PortalApi {
  return {
    createSession: (input) => createSession(ctx, input),
    revokeSession: (id) => revokeSessionById(ctx, id, 'portal'),
  }
}
