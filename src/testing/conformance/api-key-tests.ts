import { describe, expect } from 'vitest'
import { type KeyContext, keyAuthenticator } from '../../core/api-keys/key-authenticator.js'
import { BillingError } from '../../core/errors.js'
import { silentLogger } from '../../core/logger.js'
import type { ApiKeyStore, Storage } from '../../core/ports/index.js'
import { type ConformanceContext, SUITE_NOW } from './context.js'

/**
 * The storage under test with its `apiKeys` writes counted, as a separate process would check keys
 * against it (its own cache and buffer), on a clock of its own.
 */
function checker(storage: Storage) {
  let now = SUITE_NOW
  const writes = { revoke: 0, touch: 0, insert: 0 }
  const inner = storage.apiKeys
  const apiKeys: ApiKeyStore = {
    insert: (key) => {
      writes.insert++
      return inner.insert(key)
    },
    get: (id) => inner.get(id),
    findByHash: (hash) => inner.findByHash(hash),
    list: (query) => inner.list(query),
    revoke: (id, at) => {
      writes.revoke++
      return inner.revoke(id, at)
    },
    touch: (uses) => {
      writes.touch++
      return inner.touch(uses)
    },
  }
  const counted: Storage = Object.assign(Object.create(storage) as Storage, { apiKeys })
  const ctx: KeyContext = { storage: counted, now: () => now, logger: silentLogger }
  return {
    auth: keyAuthenticator(ctx),
    writes,
    advance: (ms: number) => {
      now += ms
    },
  }
}

/** API keys: secrets shown once, checked against the storage, revoked, last use recorded in batches. */
export function apiKeyTests(t: ConformanceContext): void {
  const { it } = t
  describe('api keys', () => {
    it('create shows the secret once; list and revoke never show it or its hash', async () => {
      const b = t.billing()
      const name = t.unique('key')
      const key = await b.apiKeys.create({ name, scopes: ['events:write', 'usage:read'] })
      expect(key.secret).toMatch(/^kbm_sk_[A-Za-z0-9_-]{43}$/)
      expect(key.prefix).toBe(key.secret.slice(0, 12))
      expect(key).toMatchObject({ name, scopes: ['events:write', 'usage:read'], revoked_at: null })
      const listed = (await b.apiKeys.list({ limit: 1000 })).data.find((k) => k.id === key.id)
      const { secret, ...shown } = key
      expect(listed).toEqual(shown)
      const stored = await t.storage().apiKeys.get(key.id)
      const revoked = await b.apiKeys.revoke(key.id)
      const again = await b.apiKeys.revoke(key.id)
      expect(again).toEqual(revoked)
      expect(revoked.revoked_at).not.toBeNull()
      const unknown = await b.apiKeys.revoke(`${key.id}x`).catch((e: unknown) => e)
      expect(unknown).toBeInstanceOf(BillingError)
      expect((unknown as BillingError).code).toBe('NOT_FOUND')
      const everything = JSON.stringify([await b.apiKeys.list({ limit: 1000 }), revoked, unknown, stored])
      expect(everything).not.toContain(secret)
      expect(JSON.stringify([listed, revoked])).not.toContain(stored?.hash)
    })

    it('create refuses bad input with INVALID_API_KEY and the field', async () => {
      const b = t.billing()
      const bad = [
        [{ name: '', scopes: ['admin'] }, 'name'],
        [{ name: 'x', scopes: [] }, 'scopes'],
        [{ name: 'x', scopes: ['events:read'] }, 'scopes[0]'],
        [{ name: 'x', scopes: ['admin'], expires_at: SUITE_NOW - 1 }, 'expires_at'],
        [{ name: 'x', scopes: ['admin'], expires_at: 'soon' }, 'expires_at'],
      ] as const
      for (const [input, path] of bad) {
        const error = await b.apiKeys.create(input as never).catch((e: unknown) => e)
        expect(error).toBeInstanceOf(BillingError)
        expect((error as BillingError).toJSON()).toMatchObject({ code: 'INVALID_API_KEY', details: { path } })
      }
    })

    it('a created key authenticates for its scopes; revoked, it is refused', async () => {
      const b = t.billing()
      const key = await b.apiKeys.create({ name: t.unique('key'), scopes: ['usage:read'] })
      const other = checker(t.storage())
      expect(await other.auth.authenticate(`Bearer ${key.secret}`, 'usage:read')).toHaveProperty(
        'key.id',
        key.id,
      )
      expect(await other.auth.authenticate(`Bearer ${key.secret}`, 'billing:write')).toEqual({
        error: 'forbidden',
      })
      expect(await other.auth.authenticate(`Bearer ${key.secret.slice(0, -2)}`, 'usage:read')).toEqual({
        error: 'invalid',
      })
      await b.apiKeys.revoke(key.id)
      other.advance(30_000)
      expect(await other.auth.authenticate(`Bearer ${key.secret}`, 'usage:read')).toEqual({
        error: 'revoked',
      })
    })

    it('last_used_at appears after a flush, written once for many requests', async () => {
      const b = t.billing()
      const keys = await Promise.all(
        [1, 2, 3].map(() => b.apiKeys.create({ name: t.unique('key'), scopes: ['admin'] })),
      )
      const other = checker(t.storage())
      for (let i = 0; i < 60; i++) {
        other.advance(100)
        expect(await other.auth.authenticate(keys[i % 3]!.secret, 'billing:read')).toHaveProperty('key')
      }
      expect(other.writes).toEqual({ revoke: 0, touch: 0, insert: 0 })
      const before = (await b.apiKeys.list({ limit: 1000 })).data.filter((k) =>
        keys.some((c) => c.id === k.id),
      )
      expect(before.map((k) => k.last_used_at)).toEqual([null, null, null])
      await other.auth.flush()
      expect(other.writes.touch).toBe(1)
      const after = (await b.apiKeys.list({ limit: 1000 })).data.filter((k) =>
        keys.some((c) => c.id === k.id),
      )
      expect(after.map((k) => k.last_used_at)).toEqual(
        [5800, 5900, 6000].map((ms) => new Date(SUITE_NOW + ms).toISOString()),
      )
    })
  })
}
