import { describe, expect } from 'vitest'
import { silentLogger } from '../../core/logger.js'
import type { Storage } from '../../core/ports/index.js'
import { sessionResolver } from '../../core/sessions/session-resolver.js'
import type { ConformanceContext } from './context.js'

/** Session checks as a separate process makes them against the storage: its own caches and clock. */
function otherProcess(storage: Storage, from: string) {
  let now = Date.parse(from)
  const resolver = sessionResolver({ storage, now: () => now, logger: silentLogger })
  return {
    verify: (token: string, kind: 'operator' | 'portal', customerId?: string) =>
      resolver.resolve(token, kind, customerId),
    advance: (ms: number) => {
      now += ms
    },
  }
}

const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1)

/** Sessions: sign-in and portal links stored hashed, verified, revoked as another process sees it. */
export function sessionTests(t: ConformanceContext): void {
  const { it } = t
  describe('sessions', () => {
    it('sign-in stores only a hash; verify, sign-out and list work on the stored session', async () => {
      const b = t.billing()
      const key = await b.apiKeys.create({ name: t.unique('ops'), scopes: ['admin'] })
      const signed = await b.sessions.signIn({ api_key_secret: key.secret })
      if (!('token' in signed)) throw new Error(`sign-in refused: ${signed.error}`)
      const stored = await t.storage().sessions.get(signed.session.id)
      expect(stored).toMatchObject({
        kind: 'operator',
        api_key_id: key.id,
        customer_id: null,
        revoked_at: null,
      })
      expect(JSON.stringify(stored)).not.toContain(signed.token)
      const other = otherProcess(t.storage(), signed.session.created_at)
      expect(await other.verify(signed.token, 'operator')).toEqual(signed.session)
      expect(await other.verify(signed.token, 'portal')).toBeNull()
      const listed = await b.sessions.list({ kind: 'operator', limit: 1000 })
      expect(listed.data.find((s) => s.id === signed.session.id)).toEqual({
        ...signed.session,
        csrf_token: undefined,
      })
      await b.sessions.signOut(signed.token)
      expect(await b.sessions.verify({ token: signed.token, kind: 'operator' })).toBeNull()
      const live = await b.sessions.list({ kind: 'operator', live: true, limit: 1000 })
      expect(live.data.map((s) => s.id)).not.toContain(signed.session.id)
    })

    it('a revoked session or API key is refused by another process once its cache entry ends', async () => {
      const b = t.billing()
      const key = await b.apiKeys.create({ name: t.unique('ops'), scopes: ['admin'] })
      const first = await b.sessions.signIn({ api_key_secret: key.secret })
      const second = await b.sessions.signIn({ api_key_secret: key.secret })
      if (!('token' in first) || !('token' in second)) throw new Error('sign-in refused')
      const other = otherProcess(t.storage(), first.session.created_at)
      expect(await other.verify(first.token, 'operator')).not.toBeNull()
      expect(await other.verify(second.token, 'operator')).not.toBeNull()
      await b.sessions.revoke(first.session.id)
      expect(await other.verify(first.token, 'operator')).not.toBeNull()
      other.advance(30_000)
      expect(await other.verify(first.token, 'operator')).toBeNull()
      expect(await other.verify(second.token, 'operator')).not.toBeNull()
      await b.apiKeys.revoke(key.id)
      other.advance(30_000)
      expect(await other.verify(second.token, 'operator')).toBeNull()
    })

    it("a portal link reads as its customer's only, and ends with revokeSession or revokeAll", async () => {
      const b = t.billing()
      const ns = t.unique('portal')
      await b.customers.create({ id: `${ns}a` })
      await b.customers.create({ id: `${ns}b` })
      const one = await b.portal.createSession({
        customer_id: `${ns}a`,
        return_url: 'https://app.example.com/',
      })
      const two = await b.portal.createSession({ customer_id: `${ns}a` })
      const theirs = await b.portal.createSession({ customer_id: `${ns}b` })
      const other = otherProcess(t.storage(), new Date(Date.parse(one.expires_at) - 3_600_000).toISOString())
      expect(await other.verify(tokenOf(one.url), 'portal', `${ns}a`)).toMatchObject({
        id: one.id,
        customer_id: `${ns}a`,
        return_url: 'https://app.example.com/',
      })
      expect(await other.verify(tokenOf(one.url), 'portal', `${ns}b`)).toBeNull()
      expect(await other.verify(tokenOf(one.url), 'operator')).toBeNull()
      await b.portal.revokeSession(one.id)
      expect(await b.sessions.revokeAll({ customer_id: `${ns}a` })).toEqual({ revoked: 1 })
      const ofA = await b.sessions.list({ customer_id: `${ns}a`, limit: 1000 })
      expect(ofA.data.map((s) => [s.id, s.revoked_at !== null])).toEqual([
        [one.id, true],
        [two.id, true],
      ])
      expect(await b.sessions.verify({ token: tokenOf(two.url), kind: 'portal' })).toBeNull()
      expect(await b.sessions.verify({ token: tokenOf(theirs.url), kind: 'portal' })).not.toBeNull()
    })
  })
}
