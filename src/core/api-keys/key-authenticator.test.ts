import { describe, expect, it } from 'vitest'
import { memoryStorage } from '../../adapters/memory/index.js'
import { silentLogger } from '../logger.js'
import type { ApiKeyUse } from '../ports/index.js'
import { apiKeysNamespace } from './api-keys-namespace.js'
import { authenticate, type KeyContext, keyAuthenticator, TOUCH_EVERY_MS } from './key-authenticator.js'
import type { ApiKeyScope } from './scopes.js'

const T0 = Date.UTC(2026, 0, 1)

function setup() {
  let now = T0
  const storage = memoryStorage()
  const touches: ApiKeyUse[][] = []
  const touch = storage.apiKeys.touch.bind(storage.apiKeys)
  storage.apiKeys.touch = (uses) => {
    touches.push([...uses])
    return touch(uses)
  }
  const ctx: KeyContext = { storage, now: () => now, logger: silentLogger }
  // The namespace only reads these three fields of its context.
  const keys = apiKeysNamespace(ctx as Parameters<typeof apiKeysNamespace>[0])
  const advance = (ms: number) => {
    now += ms
  }
  return { ctx, keys, storage, touches, advance }
}

const scoped = async (scopes: ApiKeyScope[]) => {
  const s = setup()
  const key = await s.keys.create({ name: 'svc', scopes })
  return { ...s, key }
}

describe('authenticate', () => {
  it('accepts the secret, bare or as a Bearer value, for its scopes', async () => {
    const { ctx, key } = await scoped(['events:write'])
    const ok = await authenticate(ctx, `Bearer ${key.secret}`, 'events:write')
    expect(ok).toEqual({ key: expect.objectContaining({ id: key.id, name: 'svc' }) })
    expect(JSON.stringify(ok)).not.toContain(key.secret)
    expect(await authenticate(ctx, key.secret, 'events:write')).toHaveProperty('key')
    expect(await authenticate(ctx, `bearer  ${key.secret}`, 'events:write')).toHaveProperty('key')
    expect(await authenticate(ctx, key.secret, 'usage:read')).toEqual({ error: 'forbidden' })
    expect(await authenticate(ctx, key.secret, 'admin')).toEqual({ error: 'forbidden' })
  })

  it('admin implies every scope', async () => {
    const { ctx, key } = await scoped(['admin'])
    for (const scope of ['events:write', 'usage:read', 'billing:read', 'billing:write', 'admin'] as const)
      expect(await authenticate(ctx, key.secret, scope)).toHaveProperty('key')
  })

  it('refuses a revoked key at once in this process, and an expired one', async () => {
    const { ctx, keys, key, advance } = await scoped(['usage:read'])
    expect(await authenticate(ctx, key.secret, 'usage:read')).toHaveProperty('key')
    await keys.revoke(key.id)
    expect(await authenticate(ctx, key.secret, 'usage:read')).toEqual({ error: 'revoked' })
    const expiring = await keys.create({ name: 'e', scopes: ['usage:read'], expires_at: T0 + 1000 })
    expect(await authenticate(ctx, expiring.secret, 'usage:read')).toHaveProperty('key')
    advance(1000)
    expect(await authenticate(ctx, expiring.secret, 'usage:read')).toEqual({ error: 'expired' })
  })

  it('sees a revocation by another process once its cache entry ends (30 s)', async () => {
    const { ctx, storage, key, advance } = await scoped(['usage:read'])
    expect(await authenticate(ctx, key.secret, 'usage:read')).toHaveProperty('key')
    await storage.apiKeys.revoke(key.id, T0)
    expect(await authenticate(ctx, key.secret, 'usage:read')).toHaveProperty('key')
    advance(30_000)
    expect(await authenticate(ctx, key.secret, 'usage:read')).toEqual({ error: 'revoked' })
  })

  it('answers missing or invalid for malformed values and never throws', async () => {
    const { ctx, key } = await scoped(['admin'])
    const body = key.secret.slice('kbm_sk_'.length)
    expect(await authenticate(ctx, '', 'admin')).toEqual({ error: 'missing' })
    expect(await authenticate(ctx, '   ', 'admin')).toEqual({ error: 'missing' })
    expect(await authenticate(ctx, undefined as unknown as string, 'admin')).toEqual({ error: 'missing' })
    const invalid = [
      'Bearer',
      'Bearer ',
      `kbm_pk_${body}`,
      `KBM_SK_${body}`,
      `${key.secret} `,
      ` ${key.secret}`,
      `${key.secret}\0`,
      `${key.secret.slice(0, -1)}\uD800`,
      `kbm_sk_${'\uDC00'.repeat(43)}`,
      `kbm_sk_${'A'.repeat(43)}`,
      `kbm_sk_${'A'.repeat(10_000)}`,
      'x'.repeat(10_240),
      `Basic ${key.secret}`,
      `${key.secret.slice(0, -1)}${key.secret.endsWith('A') ? 'B' : 'A'}`,
      key.secret.toUpperCase(),
    ]
    for (const value of invalid)
      expect(await authenticate(ctx, value, 'admin'), value.slice(0, 40)).toEqual({ error: 'invalid' })
  })

  it('buffers last-used times: one touch for many uses, at most every interval, and on close', async () => {
    const { ctx, keys, storage, touches, advance } = setup()
    const a = await keys.create({ name: 'a', scopes: ['admin'] })
    const b = await keys.create({ name: 'b', scopes: ['admin'] })
    for (let i = 0; i < 100; i++) {
      advance(10)
      await authenticate(ctx, i % 2 === 0 ? a.secret : b.secret, 'usage:read')
    }
    expect(touches).toEqual([])
    expect((await storage.apiKeys.get(a.id))?.last_used_at).toBeNull()
    advance(TOUCH_EVERY_MS)
    await authenticate(ctx, a.secret, 'usage:read')
    await keyAuthenticator(ctx).flush()
    expect(touches).toHaveLength(1)
    expect(touches[0]?.map((u) => u.id).sort()).toEqual([a.id, b.id].sort())
    expect((await storage.apiKeys.get(a.id))?.last_used_at).toBe(T0 + 1000 + TOUCH_EVERY_MS)
    expect((await storage.apiKeys.get(b.id))?.last_used_at).toBe(T0 + 1000)
    advance(10)
    await authenticate(ctx, b.secret, 'usage:read')
    expect(touches).toHaveLength(1)
    await keyAuthenticator(ctx).close()
    expect(touches).toHaveLength(2)
    expect((await storage.apiKeys.get(b.id))?.last_used_at).toBe(T0 + 1010 + TOUCH_EVERY_MS)
  })

  it('keeps buffered uses when a touch fails, for the next flush', async () => {
    const { ctx, keys, storage, touches } = setup()
    const a = await keys.create({ name: 'a', scopes: ['admin'] })
    await authenticate(ctx, a.secret, 'usage:read')
    const touch = storage.apiKeys.touch
    storage.apiKeys.touch = () => Promise.reject(new Error('down'))
    await expect(keyAuthenticator(ctx).flush()).rejects.toThrow('down')
    storage.apiKeys.touch = touch
    await keyAuthenticator(ctx).flush()
    expect(touches).toEqual([[{ id: a.id, at: T0 }]])
    expect((await storage.apiKeys.get(a.id))?.last_used_at).toBe(T0)
  })
})
