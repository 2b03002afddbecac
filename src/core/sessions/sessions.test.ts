import { describe, expect, it } from 'vitest'
import { memoryStorage } from '../../adapters/memory/index.js'
import { hashSecret } from '../api-keys/api-key-secret.js'
import { type BillingOptions, createBilling } from '../billing.js'
import type { BillingError } from '../errors.js'

const T0 = Date.UTC(2026, 0, 1)
const HOUR = 3_600_000

async function setup(options: Partial<BillingOptions> = {}) {
  let now = T0
  const storage = memoryStorage()
  const billing = await createBilling({ storage, clock: () => now, ...options })
  const admin = await billing.apiKeys.create({ name: 'ops', scopes: ['admin'] })
  const signIn = async (secret = admin.secret) => {
    const signed = await billing.sessions.signIn({ api_key_secret: secret })
    if (!('token' in signed)) throw new Error(`sign-in refused: ${signed.error}`)
    return signed
  }
  const advance = (ms: number) => {
    now += ms
  }
  return { billing, storage, admin, signIn, advance }
}

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: unknown) => e as BillingError,
  )

describe('sessions.signIn', () => {
  it('opens an operator session for an admin key, with a new token each time', async () => {
    const { billing, storage, admin, signIn } = await setup()
    const a = await signIn()
    const b = await signIn(`Bearer ${admin.secret}`)
    expect(a.token).toMatch(/^kbm_os_[A-Za-z0-9_-]{43}$/)
    expect(b.token).not.toBe(a.token)
    expect(a.session).toMatchObject({
      kind: 'operator',
      api_key_id: admin.id,
      customer_id: null,
      created_at: new Date(T0).toISOString(),
      expires_at: new Date(T0 + 12 * HOUR).toISOString(),
      revoked_at: null,
    })
    expect(a.session.csrf_token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(a.session.csrf_token).not.toBe(b.session.csrf_token)
    const stored = await storage.sessions.get(a.session.id)
    expect(JSON.stringify(stored)).not.toContain(a.token)
    expect(JSON.stringify(stored)).not.toContain(a.session.csrf_token)
    expect(await billing.sessions.verify({ token: a.token, kind: 'operator' })).toEqual(a.session)
  })

  it('refuses a key without admin, an unknown, revoked or expired key, as authenticate does', async () => {
    const { billing, advance } = await setup()
    const reader = await billing.apiKeys.create({ name: 'r', scopes: ['billing:read', 'billing:write'] })
    const gone = await billing.apiKeys.create({ name: 'g', scopes: ['admin'] })
    await billing.apiKeys.revoke(gone.id)
    const brief = await billing.apiKeys.create({ name: 'b', scopes: ['admin'], expires_at: T0 + 1000 })
    const signIn = (secret: unknown) => billing.sessions.signIn({ api_key_secret: secret as string })
    expect(await signIn(reader.secret)).toEqual({ error: 'forbidden' })
    expect(await signIn(gone.secret)).toEqual({ error: 'revoked' })
    expect(await signIn(`${reader.secret.slice(0, -1)}x`)).toEqual({ error: 'invalid' })
    expect(await signIn('')).toEqual({ error: 'missing' })
    expect(await signIn(undefined)).toEqual({ error: 'missing' })
    expect(await billing.sessions.signIn(null as never)).toEqual({ error: 'missing' })
    advance(1000)
    expect(await signIn(brief.secret)).toEqual({ error: 'expired' })
  })

  it('never adopts a token the client brings: a made-up token, well shaped, verifies as nothing', async () => {
    const { billing, signIn } = await setup()
    const planted = `kbm_os_${'A'.repeat(43)}`
    expect(await billing.sessions.verify({ token: planted, kind: 'operator' })).toBeNull()
    const signed = await signIn()
    expect(signed.token).not.toBe(planted)
    expect(await billing.sessions.verify({ token: planted, kind: 'operator' })).toBeNull()
  })

  it("lasts operatorTtlMs, and never past its key's expiry", async () => {
    const { billing, signIn, advance } = await setup({ sessions: { operatorTtlMs: 2 * HOUR } })
    const signed = await signIn()
    expect(signed.session.expires_at).toBe(new Date(T0 + 2 * HOUR).toISOString())
    const short = await billing.apiKeys.create({ name: 's', scopes: ['admin'], expires_at: T0 + HOUR })
    const capped = await signIn(short.secret)
    expect(capped.session.expires_at).toBe(new Date(T0 + HOUR).toISOString())
    advance(2 * HOUR - 1)
    expect(await billing.sessions.verify({ token: signed.token, kind: 'operator' })).not.toBeNull()
    expect(await billing.sessions.verify({ token: capped.token, kind: 'operator' })).toBeNull()
    advance(1)
    expect(await billing.sessions.verify({ token: signed.token, kind: 'operator' })).toBeNull()
  })
})

describe('sessions.verify', () => {
  it('ends at once in this process: sign-out, revoke by id, revokeAll, and its API key revoked', async () => {
    const { billing, admin, signIn } = await setup()
    const verify = (token: string) => billing.sessions.verify({ token, kind: 'operator' })
    const [a, b, c, d] = [await signIn(), await signIn(), await signIn(), await signIn()]
    for (const s of [a, b, c, d]) expect(await verify(s.token)).not.toBeNull()
    await billing.sessions.signOut(a.token)
    expect(await verify(a.token)).toBeNull()
    const revoked = await billing.sessions.revoke(b.session.id)
    expect(revoked.revoked_at).toBe(new Date(T0).toISOString())
    expect(await billing.sessions.revoke(b.session.id)).toEqual(revoked)
    expect(await verify(b.token)).toBeNull()
    expect(await verify(c.token)).not.toBeNull()
    const other = await billing.apiKeys.create({ name: 'other', scopes: ['admin'] })
    const e = await signIn(other.secret)
    expect(await billing.sessions.revokeAll({ api_key_id: admin.id })).toEqual({ revoked: 2 })
    expect(await verify(c.token)).toBeNull()
    expect(await verify(d.token)).toBeNull()
    expect(await verify(e.token)).not.toBeNull()
    await billing.apiKeys.revoke(other.id)
    expect(await verify(e.token)).toBeNull()
    expect((await billing.sessions.list({ live: true })).data).toEqual([])
    await billing.sessions.signOut('not a token')
    await billing.sessions.signOut(undefined)
    expect((await errorOf(billing.sessions.revoke('ses_missing')))?.code).toBe('NOT_FOUND')
  })

  it('refuses an operator session once its key is revoked by another process, within 30 s', async () => {
    const { billing, storage, admin, signIn, advance } = await setup()
    const signed = await signIn()
    expect(await billing.sessions.verify({ token: signed.token, kind: 'operator' })).not.toBeNull()
    await storage.apiKeys.revoke(admin.id, T0)
    advance(29_999)
    expect(await billing.sessions.verify({ token: signed.token, kind: 'operator' })).not.toBeNull()
    advance(1)
    expect(await billing.sessions.verify({ token: signed.token, kind: 'operator' })).toBeNull()
  })

  it('refuses a session revoked by another process once its cache entry ends (30 s)', async () => {
    const { billing, storage, signIn, advance } = await setup()
    const signed = await signIn()
    expect(await billing.sessions.verify({ token: signed.token, kind: 'operator' })).not.toBeNull()
    await storage.sessions.revoke(signed.session.id, T0)
    expect(await billing.sessions.verify({ token: signed.token, kind: 'operator' })).not.toBeNull()
    advance(30_000)
    expect(await billing.sessions.verify({ token: signed.token, kind: 'operator' })).toBeNull()
  })

  it('a session of one kind never verifies as the other; a portal session only for its customer', async () => {
    const { billing, storage, signIn } = await setup()
    await billing.customers.create({ id: 'cus_a' })
    await billing.customers.create({ id: 'cus_b' })
    const operator = await signIn()
    const portal = await billing.portal.createSession({ customer_id: 'cus_a' })
    const portalToken = portal.url.split('/').at(-1) as string
    expect(await billing.sessions.verify({ token: operator.token, kind: 'portal' })).toBeNull()
    expect(await billing.sessions.verify({ token: portalToken, kind: 'operator' })).toBeNull()
    // Same random part under the other kind's prefix: still nothing.
    const swapped = `kbm_os_${portalToken.slice('kbm_ps_'.length)}`
    expect(await billing.sessions.verify({ token: swapped, kind: 'operator' })).toBeNull()
    // A stored kind is checked too, not only the token's prefix.
    const stored = await storage.sessions.get(operator.session.id)
    const portalShaped = `kbm_ps_${operator.token.slice('kbm_os_'.length)}`
    await storage.sessions.insert({ ...stored!, id: `${stored!.id}x`, hash: hashSecret(portalShaped) })
    expect(await billing.sessions.verify({ token: portalShaped, kind: 'portal' })).toBeNull()
    const mine = await billing.sessions.verify({ token: portalToken, kind: 'portal', customer_id: 'cus_a' })
    expect(mine).toMatchObject({ id: portal.id, kind: 'portal', customer_id: 'cus_a', api_key_id: null })
    expect(await billing.sessions.verify({ token: portalToken, kind: 'portal' })).toEqual(mine)
    expect(
      await billing.sessions.verify({ token: portalToken, kind: 'portal', customer_id: 'cus_b' }),
    ).toBeNull()
    expect(
      (await errorOf(billing.sessions.verify({ token: portalToken, kind: 'admin' as never })))?.code,
    ).toBe('INVALID_SESSION')
  })

  it('answers null for anything that is not a live token, and never throws for it', async () => {
    const { billing, signIn } = await setup()
    const signed = await signIn()
    const bad = [
      '',
      null,
      undefined,
      42,
      `${signed.token} `,
      signed.token.toUpperCase(),
      signed.token.slice(0, -1),
      `${signed.token.slice(0, -1)}${signed.token.endsWith('A') ? 'B' : 'A'}`,
      `kbm_os_${'\uDC00'.repeat(43)}`,
      'x'.repeat(10_000),
    ]
    for (const token of bad)
      expect(await billing.sessions.verify({ token: token as string, kind: 'operator' })).toBeNull()
  })
})

describe('sessions.verifyCsrf', () => {
  it("matches the session's own CSRF token only", async () => {
    const { billing, signIn } = await setup()
    const a = (await signIn()).session
    const b = (await signIn()).session
    expect(await billing.sessions.verifyCsrf(a, a.csrf_token)).toBe(true)
    for (const presented of [b.csrf_token, `${a.csrf_token}x`, a.csrf_token.slice(1), '', undefined, null, 7])
      expect(await billing.sessions.verifyCsrf(a, presented)).toBe(false)
    const again = await billing.sessions.verify({ token: (await signIn()).token, kind: 'operator' })
    expect(again?.csrf_token).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })
})

describe('sessions.list and purgeExpired', () => {
  it('lists without tokens, narrows to live ones, and deletes the expired', async () => {
    const { billing, signIn, advance } = await setup()
    await billing.customers.create({ id: 'cus_a' })
    const op = await signIn()
    const link = await billing.portal.createSession({ customer_id: 'cus_a', expires_in_ms: 60_000 })
    const all = await billing.sessions.list()
    expect(all.data.map((s) => s.id)).toEqual([op.session.id, link.id])
    expect(JSON.stringify(all)).not.toContain(op.token)
    expect(JSON.stringify(all)).not.toContain('csrf')
    expect((await billing.sessions.list({ kind: 'portal' })).data.map((s) => s.id)).toEqual([link.id])
    expect((await billing.sessions.list({ customer_id: 'cus_a' })).data.map((s) => s.id)).toEqual([link.id])
    const first = await billing.sessions.list({ limit: 1 })
    expect(first.has_more).toBe(true)
    const second = await billing.sessions.list({ limit: 1, cursor: first.next_cursor as string })
    expect(second.data.map((s) => s.id)).toEqual([link.id])
    advance(60_000)
    expect((await billing.sessions.list({ live: true })).data.map((s) => s.id)).toEqual([op.session.id])
    expect(await billing.sessions.purgeExpired()).toEqual({ deleted: 1 })
    expect((await billing.sessions.list()).data.map((s) => s.id)).toEqual([op.session.id])
    advance(12 * 3_600_000)
    expect((await billing.tick()).sessions_purged).toBe(1)
    expect((await billing.sessions.list()).data).toEqual([])
    expect((await errorOf(billing.sessions.list({ kind: 'x' as never })))?.code).toBe('INVALID_SESSION')
  })
})
