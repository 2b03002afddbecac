import { hashSecret } from '../api-keys/api-key-secret.js'
import { KEY_CACHE_TTL_MS, type KeyContext, keyAuthenticator } from '../api-keys/key-authenticator.js'
import type { SessionKind, SessionRecord } from '../ports/index.js'
import { csrfTokenOf, isSessionTokenShaped, sameSecret } from './session-token.js'
import { sessionView } from './session-view.js'
import type { VerifiedSession } from './types.js'

/** How long a session read from storage is trusted: a revocation in another process shows within it. */
export const SESSION_CACHE_TTL_MS = KEY_CACHE_TTL_MS
/** Sessions kept in the cache at most; the oldest entry goes first. */
const CACHE_SIZE = 10_000

interface Cached {
  record: SessionRecord
  until: number
}

/**
 * One billing instance's session checks: a small in-process cache of sessions by token hash, like
 * the API keys'. A session revoked by this process is dropped at once; one revoked by another
 * process is refused here within {@link SESSION_CACHE_TTL_MS}. Expiry is checked on every use
 * against the clock, never cached. Unknown hashes are not cached, so guessing fills no memory.
 */
export class SessionResolver {
  readonly #ctx: KeyContext
  readonly #cache = new Map<string, Cached>()

  constructor(ctx: KeyContext) {
    this.#ctx = ctx
  }

  /**
   * The live session of `token` if it is of `kind` (and of `customerId` when given), or null.
   * An operator session also needs its API key still unrevoked, unexpired and `admin`.
   */
  async resolve(token: unknown, kind: SessionKind, customerId?: string): Promise<VerifiedSession | null> {
    if (!isSessionTokenShaped(token, kind)) return null
    const hash = hashSecret(token)
    const now = this.#ctx.now()
    const record = await this.#lookup(hash, now)
    if (record === null || !sameSecret(record.hash, hash)) return null
    if (record.kind !== kind || record.revoked_at !== null || now >= record.expires_at) return null
    if (customerId !== undefined && record.customer_id !== customerId) return null
    if (kind === 'operator') {
      if (record.api_key_id === null) return null
      if (!(await keyAuthenticator(this.#ctx).isAdmin(record.api_key_id))) return null
    }
    return { ...sessionView(record), csrf_token: csrfTokenOf(token) }
  }

  /** Drops the cached sessions `drop` picks (after this process revoked them). */
  forget(drop: (record: SessionRecord) => boolean): void {
    for (const [hash, cached] of this.#cache) if (drop(cached.record)) this.#cache.delete(hash)
  }

  async #lookup(hash: string, now: number): Promise<SessionRecord | null> {
    const cached = this.#cache.get(hash)
    if (cached !== undefined && cached.until > now) return cached.record
    this.#cache.delete(hash)
    const record = await this.#ctx.storage.sessions.findByHash(hash)
    if (record === null) return null
    if (this.#cache.size >= CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value as string)
    this.#cache.set(hash, { record, until: now + SESSION_CACHE_TTL_MS })
    return record
  }
}

const resolvers = new WeakMap<KeyContext, SessionResolver>()

/**
 * The session checks of the billing instance on `ctx` (one per instance).
 *
 * @example
 * const session = await sessionResolver(ctx).resolve(token, 'operator')
 */
export function sessionResolver(ctx: KeyContext): SessionResolver {
  let found = resolvers.get(ctx)
  if (found === undefined) {
    found = new SessionResolver(ctx)
    resolvers.set(ctx, found)
  }
  return found
}
