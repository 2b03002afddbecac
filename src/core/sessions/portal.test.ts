import { describe, expect, it } from 'vitest'
import { memoryStorage } from '../../adapters/memory/index.js'
import { type BillingOptions, createBilling } from '../billing.js'
import type { BillingError } from '../errors.js'

const T0 = Date.UTC(2026, 0, 1)

async function setup(options: Partial<BillingOptions> = {}) {
  let now = T0
  const billing = await createBilling({ storage: memoryStorage(), clock: () => now, ...options })
  await billing.customers.create({ id: 'cus_a' })
  const advance = (ms: number) => {
    now += ms
  }
  return { billing, advance }
}

const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1)
const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: unknown) => e as BillingError,
  )

describe('portal.createSession', () => {
  it('answers a link under /dashboard/portal by default, working for an hour', async () => {
    const { billing, advance } = await setup()
    const link = await billing.portal.createSession({ customer_id: 'cus_a' })
    expect(link).toEqual({
      id: expect.stringMatching(/^ses_/),
      customer_id: 'cus_a',
      url: expect.stringMatching(/^\/dashboard\/portal\/kbm_ps_[A-Za-z0-9_-]{43}$/),
      expires_at: new Date(T0 + 3_600_000).toISOString(),
    })
    const verify = () =>
      billing.sessions.verify({ token: tokenOf(link.url), kind: 'portal', customer_id: 'cus_a' })
    expect(await verify()).toMatchObject({ id: link.id, return_url: null })
    advance(3_599_999)
    expect(await verify()).not.toBeNull()
    advance(1)
    expect(await verify()).toBeNull()
  })

  it('uses the configured base URL, keeps a return URL, and takes expires_in_ms', async () => {
    const { billing } = await setup({ portal: { baseUrl: 'https://billing.example.com/dashboard/' } })
    const link = await billing.portal.createSession({
      customer_id: 'cus_a',
      expires_in_ms: 60_000,
      return_url: 'https://app.example.com/account?tab=billing',
    })
    expect(link.url).toMatch(/^https:\/\/billing\.example\.com\/dashboard\/portal\/kbm_ps_[A-Za-z0-9_-]{43}$/)
    expect(link.expires_at).toBe(new Date(T0 + 60_000).toISOString())
    const session = await billing.sessions.verify({ token: tokenOf(link.url), kind: 'portal' })
    expect(session?.return_url).toBe('https://app.example.com/account?tab=billing')
  })

  it('refuses an unknown customer, an expiry out of range and a return URL that is not http(s)', async () => {
    const { billing } = await setup()
    expect((await errorOf(billing.portal.createSession({ customer_id: 'cus_missing' })))?.code).toBe(
      'NOT_FOUND',
    )
    expect((await errorOf(billing.portal.createSession({ customer_id: '' })))?.code).toBe('NOT_FOUND')
    const bad: Array<[object, string]> = [
      [{ expires_in_ms: 59_999 }, 'expires_in_ms'],
      [{ expires_in_ms: 30 * 86_400_000 + 1 }, 'expires_in_ms'],
      [{ expires_in_ms: 1.5e6 + 0.5 }, 'expires_in_ms'],
      [{ expires_in_ms: '3600000' }, 'expires_in_ms'],
      [{ return_url: 'javascript:alert(1)' }, 'return_url'],
      [{ return_url: '/relative' }, 'return_url'],
      [{ return_url: 'https://user:pw@example.com/' }, 'return_url'],
      [{ return_url: 'https://example.com/"><script>' }, 'return_url'],
    ]
    for (const [extra, path] of bad) {
      const error = await errorOf(billing.portal.createSession({ customer_id: 'cus_a', ...extra } as never))
      expect(error?.toJSON(), JSON.stringify(extra)).toMatchObject({
        code: 'INVALID_SESSION',
        details: { path },
      })
    }
    expect((await errorOf(billing.portal.createSession(null as never)))?.code).toBe('INVALID_SESSION')
  })

  it('refuses a bad portal.baseUrl or sessions.operatorTtlMs when the instance is made', async () => {
    for (const baseUrl of ['ftp://x.example', 'https://x.example/?q=1', 'dashboard', '/a b', 42]) {
      const error = await errorOf(
        createBilling({ storage: memoryStorage(), portal: { baseUrl: baseUrl as string } }),
      )
      expect(error?.toJSON(), String(baseUrl)).toMatchObject({
        code: 'INVALID_OPTIONS',
        details: { path: 'portal.baseUrl' },
      })
    }
    const error = await errorOf(
      createBilling({ storage: memoryStorage(), sessions: { operatorTtlMs: 1000 } }),
    )
    expect(error?.toJSON()).toMatchObject({
      code: 'INVALID_OPTIONS',
      details: { path: 'sessions.operatorTtlMs' },
    })
  })
})

describe('portal.revokeSession', () => {
  it("ends one link at once, leaves the customer's others, and refuses an operator session's id", async () => {
    const { billing } = await setup()
    const a = await billing.portal.createSession({ customer_id: 'cus_a' })
    const b = await billing.portal.createSession({ customer_id: 'cus_a' })
    const verify = (url: string) => billing.sessions.verify({ token: tokenOf(url), kind: 'portal' })
    expect(await verify(a.url)).not.toBeNull()
    const revoked = await billing.portal.revokeSession(a.id)
    expect(revoked).toMatchObject({ id: a.id, kind: 'portal', revoked_at: new Date(T0).toISOString() })
    expect(await verify(a.url)).toBeNull()
    expect(await verify(b.url)).not.toBeNull()
    expect(await billing.sessions.revokeAll({ customer_id: 'cus_a' })).toEqual({ revoked: 1 })
    expect(await verify(b.url)).toBeNull()
    const key = await billing.apiKeys.create({ name: 'ops', scopes: ['admin'] })
    const signed = await billing.sessions.signIn({ api_key_secret: key.secret })
    if (!('token' in signed)) throw new Error('sign-in refused')
    expect((await errorOf(billing.portal.revokeSession(signed.session.id)))?.code).toBe('NOT_FOUND')
    expect((await errorOf(billing.sessions.revokeAll({} as never)))?.code).toBe('INVALID_SESSION')
  })
})
