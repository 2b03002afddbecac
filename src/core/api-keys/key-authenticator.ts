import type { BillingContext } from '../context.js'
import { errorName } from '../logger.js'
import type { ApiKeyRecord } from '../ports/index.js'
import { sameSecret } from '../same-secret.js'
import { hashSecret, isSecretShaped } from './api-key-secret.js'
import { apiKeyView } from './api-key-view.js'
import type { ApiKeyScope } from './scopes.js'
import type { ApiKey } from './types.js'

/** What the key checks use of a billing instance's context. */
export type KeyContext = Pick<BillingContext, 'storage' | 'now' | 'logger'>

/** Why a request's key was refused. */
export type AuthFailure = 'missing' | 'invalid' | 'revoked' | 'expired' | 'forbidden'

/** What {@link authenticate} answers. */
export type AuthResult = { key: ApiKey } | { error: AuthFailure }

/** How long a key read from storage is trusted: a revocation in another process shows within it. */
export const KEY_CACHE_TTL_MS = 30_000
/** Last-used times are written at most this often (and on `close`). */
export const TOUCH_EVERY_MS = 60_000
/** Keys kept in the cache at most; the oldest entry goes first. */
const CACHE_SIZE = 10_000

interface Cached {
  record: ApiKeyRecord
  until: number
}

/**
 * One billing instance's key checks: a small in-process cache of keys by hash, and last-used times
 * buffered in memory and written with one `touch` at most every {@link TOUCH_EVERY_MS}, never a
 * write per request. A key revoked by this process is dropped from the cache at once; one revoked
 * by another process is refused here within {@link KEY_CACHE_TTL_MS}. Unknown hashes are not
 * cached, so guessing fills no memory.
 */
export class KeyAuthenticator {
  readonly #ctx: KeyContext
  readonly #cache = new Map<string, Cached>()
  readonly #byId = new Map<string, Cached>()
  readonly #uses = new Map<string, number>()
  #lastTouch: number
  #touching: Promise<void> | null = null

  constructor(ctx: KeyContext) {
    this.#ctx = ctx
    this.#lastTouch = ctx.now()
  }

  async authenticate(bearer: unknown, scope: ApiKeyScope): Promise<AuthResult> {
    const secret = secretOf(bearer)
    if (secret === null) return { error: 'missing' }
    if (!isSecretShaped(secret)) return { error: 'invalid' }
    const hash = hashSecret(secret)
    const now = this.#ctx.now()
    const record = await this.#lookup(hash, now)
    if (record === null || !sameSecret(record.hash, hash)) return { error: 'invalid' }
    if (record.revoked_at !== null) return { error: 'revoked' }
    if (record.expires_at !== null && now >= record.expires_at) return { error: 'expired' }
    if (!record.scopes.includes('admin') && !record.scopes.includes(scope)) return { error: 'forbidden' }
    this.#use(record.id, now)
    return { key: apiKeyView(record) }
  }

  /**
   * Whether the key `id` may still sign in to the dashboard: known, not revoked, not expired, with
   * `admin`. Read through the same {@link KEY_CACHE_TTL_MS} cache as secrets, so a dashboard session
   * stops working when its key is revoked: at once in this process, within the TTL in others.
   */
  async isAdmin(id: string): Promise<boolean> {
    const now = this.#ctx.now()
    let cached = this.#byId.get(id)
    if (cached === undefined || cached.until <= now) {
      this.#byId.delete(id)
      const record = await this.#ctx.storage.apiKeys.get(id)
      if (record === null) return false
      if (this.#byId.size >= CACHE_SIZE) this.#byId.delete(this.#byId.keys().next().value as string)
      cached = { record, until: now + KEY_CACHE_TTL_MS }
      this.#byId.set(id, cached)
    }
    const { record } = cached
    if (record.revoked_at !== null || (record.expires_at !== null && now >= record.expires_at)) return false
    return record.scopes.includes('admin')
  }

  /** Drops a key from the cache (after this process revoked it). */
  forget(id: string): void {
    for (const [hash, cached] of this.#cache) if (cached.record.id === id) this.#cache.delete(hash)
    this.#byId.delete(id)
  }

  /** Writes the buffered last-used times with one `touch`. */
  async flush(): Promise<void> {
    await this.#touching
    if (this.#uses.size === 0) return
    const uses = [...this.#uses].map(([id, at]) => ({ id, at }))
    this.#uses.clear()
    this.#lastTouch = this.#ctx.now()
    try {
      await this.#ctx.storage.apiKeys.touch(uses)
    } catch (error) {
      // Kept for the next flush, merged with uses recorded meanwhile.
      for (const { id, at } of uses) this.#uses.set(id, Math.max(at, this.#uses.get(id) ?? at))
      throw error
    }
  }

  /** Writes the buffered last-used times before the instance closes; a failure is logged, not thrown. */
  async close(): Promise<void> {
    try {
      await this.flush()
    } catch (error) {
      this.#ctx.logger.warn('api key touch failed', { error: errorName(error) })
    }
  }

  async #lookup(hash: string, now: number): Promise<ApiKeyRecord | null> {
    const cached = this.#cache.get(hash)
    if (cached !== undefined && cached.until > now) return cached.record
    this.#cache.delete(hash)
    const record = await this.#ctx.storage.apiKeys.findByHash(hash)
    if (record === null) return null
    if (this.#cache.size >= CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value as string)
    this.#cache.set(hash, { record, until: now + KEY_CACHE_TTL_MS })
    return record
  }

  #use(id: string, now: number): void {
    this.#uses.set(id, Math.max(now, this.#uses.get(id) ?? now))
    if (now - this.#lastTouch < TOUCH_EVERY_MS || this.#touching !== null) return
    this.#touching = this.flush()
      .catch((error: unknown) => this.#ctx.logger.warn('api key touch failed', { error: errorName(error) }))
      .finally(() => {
        this.#touching = null
      })
  }
}

/** The secret of an `Authorization` value (`Bearer kbm_sk_…`) or of a bare secret; null when absent. */
function secretOf(bearer: unknown): string | null {
  if (typeof bearer !== 'string' || bearer.trim() === '') return null
  const match = /^Bearer[ \t]+/i.exec(bearer)
  return match === null ? bearer : bearer.slice(match[0].length)
}

const authenticators = new WeakMap<KeyContext, KeyAuthenticator>()

/**
 * The key checks of the billing instance on `ctx` (one per instance).
 *
 * @example
 * await keyAuthenticator(ctx).flush()
 */
export function keyAuthenticator(ctx: KeyContext): KeyAuthenticator {
  let found = authenticators.get(ctx)
  if (found === undefined) {
    found = new KeyAuthenticator(ctx)
    authenticators.set(ctx, found)
  }
  return found
}

/**
 * Checks a request's `Authorization` value (or bare secret) for `scope`: `admin` implies every
 * scope. Malformed input of any kind answers `missing` or `invalid` and never throws; only a
 * storage failure does.
 *
 * @example
 * const result = await authenticate(ctx, request.headers.get('authorization') ?? '', 'events:write')
 * if ('error' in result) return new Response(null, { status: result.error === 'forbidden' ? 403 : 401 })
 */
export function authenticate(ctx: KeyContext, bearer: string, scope: ApiKeyScope): Promise<AuthResult> {
  return keyAuthenticator(ctx).authenticate(bearer, scope)
}
