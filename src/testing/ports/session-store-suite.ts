import { expect } from 'vitest'
import type { SessionRecord } from '../../core/ports/index.js'
import { HOUR, T0 } from './port-fixtures.js'
import { own, type PortSuite } from './port-suite.js'

/** A 64-hex-digit hash unique to a test and a name. */
const hashOf = (ns: string, name: string): string =>
  Buffer.from(`${ns}${name}`).toString('hex').padEnd(64, '0').slice(-64)

const operator = (ns: string, name: string, apiKey = `${ns}key_1`): SessionRecord => ({
  id: `${ns}ses_${name}`,
  hash: hashOf(ns, name),
  kind: 'operator',
  customer_id: null,
  api_key_id: apiKey,
  return_url: null,
  created_at: T0,
  expires_at: T0 + 12 * HOUR,
  revoked_at: null,
})

const portal = (ns: string, name: string, customer = `${ns}cus_a`): SessionRecord => ({
  id: `${ns}ses_${name}`,
  hash: hashOf(ns, name),
  kind: 'portal',
  customer_id: customer,
  api_key_id: null,
  return_url: 'https://app.example.com/account?tab=billing',
  created_at: T0,
  expires_at: T0 + HOUR,
  revoked_at: null,
})

/**
 * `storage.sessions`: `insert` once per id and per hash, `get` and `findByHash` (hashes compared
 * byte for byte), `list` paging and filters, `revoke` once (also under concurrency), `revokeAll`
 * of one API key or one customer only, `deleteExpired` by expiry.
 *
 * @example
 * runStorageSuites({ name: 'mine', create, suites: [sessionStoreSuite] })
 */
export const sessionStoreSuite: PortSuite = {
  id: 'sessions',
  title: 'storage.sessions',
  register: ({ storage, unique, test }) => {
    test(
      'sessions.insert-get',
      'insert once per id; get and findByHash answer the stored session',
      async () => {
        const ns = unique('ses')
        const a = operator(ns, 'a')
        const p = portal(ns, 'p')
        expect(await storage().sessions.insert(a)).toBe(true)
        expect(await storage().sessions.insert(p)).toBe(true)
        expect(await storage().sessions.insert({ ...a, hash: hashOf(ns, 'other') })).toBe(false)
        expect(await storage().sessions.get(a.id)).toEqual(a)
        expect(await storage().sessions.findByHash(a.hash)).toEqual(a)
        expect(await storage().sessions.findByHash(p.hash)).toEqual(p)
        expect(await storage().sessions.get(`${ns}ses_missing`)).toBeNull()
        expect(await storage().sessions.findByHash(hashOf(ns, 'missing'))).toBeNull()
        const sameHash = await storage()
          .sessions.insert({ ...operator(ns, 'b'), hash: a.hash })
          .catch(() => false)
        expect(sameHash).toBe(false)
        expect((await storage().sessions.findByHash(a.hash))?.id).toBe(a.id)
      },
    )

    test(
      'sessions.hash-exact',
      'findByHash: no case folding, no trailing-space or prefix match',
      async () => {
        const ns = unique('ses')
        const a = operator(ns, 'exact')
        await storage().sessions.insert(a)
        expect(await storage().sessions.findByHash(a.hash.toUpperCase())).toBeNull()
        expect(await storage().sessions.findByHash(`${a.hash} `)).toBeNull()
        expect(await storage().sessions.findByHash(a.hash.slice(0, 63))).toBeNull()
        expect(await storage().sessions.findByHash('')).toBeNull()
      },
    )

    test(
      'sessions.list',
      'list: id order, after an id, at most limit, by kind, customer and liveness',
      async () => {
        const ns = unique('ses')
        const rows = [
          operator(ns, 'c'),
          portal(ns, 'a'),
          portal(ns, 'b', `${ns}cus_b`),
          { ...operator(ns, 'd'), revoked_at: T0 + 1 },
          { ...portal(ns, 'e'), expires_at: T0 + 10 },
        ]
        for (const row of rows) await storage().sessions.insert(row)
        const all = await storage().sessions.list({ after: ns, limit: 5 })
        expect(own(ns, all)).toEqual(['a', 'b', 'c', 'd', 'e'].map((n) => `${ns}ses_${n}`))
        expect(all[0]).toEqual(portal(ns, 'a'))
        const next = await storage().sessions.list({ after: `${ns}ses_a`, limit: 1 })
        expect(next.map((s) => s.id)).toEqual([`${ns}ses_b`])
        const operators = await storage().sessions.list({ after: ns, limit: 100, kind: 'operator' })
        expect(own(ns, operators)).toEqual([`${ns}ses_c`, `${ns}ses_d`])
        const ofA = await storage().sessions.list({ after: ns, limit: 100, customer_id: `${ns}cus_a` })
        expect(own(ns, ofA)).toEqual([`${ns}ses_a`, `${ns}ses_e`])
        const live = await storage().sessions.list({ after: ns, limit: 100, live_at: T0 + 10 })
        expect(own(ns, live)).toEqual([`${ns}ses_a`, `${ns}ses_b`, `${ns}ses_c`])
      },
    )

    test('sessions.revoke-once', 'revoke: once, also by 10 concurrent revokes', async () => {
      const ns = unique('ses')
      const a = operator(ns, 'r')
      await storage().sessions.insert(a)
      const racing = await Promise.all(
        Array.from({ length: 10 }, (_, i) => storage().sessions.revoke(a.id, T0 + HOUR + i)),
      )
      expect(racing.filter(Boolean)).toHaveLength(1)
      expect((await storage().sessions.get(a.id))?.revoked_at).toBe(T0 + HOUR + racing.indexOf(true))
      expect(await storage().sessions.revoke(a.id, T0 + 2 * HOUR)).toBe(false)
      expect(await storage().sessions.revoke(`${ns}ses_missing`, T0)).toBe(false)
    })

    test(
      'sessions.revoke-all',
      "revokeAll: every live session of one API key or customer, no one else's",
      async () => {
        const ns = unique('ses')
        const rows = [
          operator(ns, 'k1a', `${ns}key_1`),
          { ...operator(ns, 'k1b', `${ns}key_1`), revoked_at: T0 },
          operator(ns, 'k2', `${ns}key_2`),
          portal(ns, 'ca1', `${ns}cus_a`),
          portal(ns, 'ca2', `${ns}cus_a`),
          portal(ns, 'cb', `${ns}cus_b`),
        ]
        for (const row of rows) await storage().sessions.insert(row)
        expect(await storage().sessions.revokeAll({ api_key_id: `${ns}key_1` }, T0 + HOUR)).toBe(1)
        expect(await storage().sessions.revokeAll({ api_key_id: `${ns}key_1` }, T0 + HOUR)).toBe(0)
        expect(await storage().sessions.revokeAll({ customer_id: `${ns}cus_a` }, T0 + 2 * HOUR)).toBe(2)
        expect(await storage().sessions.revokeAll({ customer_id: `${ns}cus_missing` }, T0)).toBe(0)
        const revoked = new Map(
          (await storage().sessions.list({ after: ns, limit: 100 }))
            .filter((s) => s.id.startsWith(ns))
            .map((s) => [s.id.slice(ns.length), s.revoked_at]),
        )
        expect(Object.fromEntries(revoked)).toEqual({
          ses_ca1: T0 + 2 * HOUR,
          ses_ca2: T0 + 2 * HOUR,
          ses_cb: null,
          ses_k1a: T0 + HOUR,
          ses_k1b: T0,
          ses_k2: null,
        })
      },
    )

    test(
      'sessions.delete-expired',
      'deleteExpired: those expired at or before the time, and no others',
      async () => {
        const ns = unique('ses')
        const rows = [
          { ...operator(ns, 'old'), expires_at: T0 - 2 * HOUR },
          { ...portal(ns, 'edge'), expires_at: T0 - HOUR },
          { ...portal(ns, 'live'), expires_at: T0 - HOUR + 1 },
        ]
        for (const row of rows) await storage().sessions.insert(row)
        // The store is shared: other tests' sessions expire after T0, so none of theirs goes.
        expect(await storage().sessions.deleteExpired(T0 - HOUR)).toBe(2)
        expect(await storage().sessions.get(`${ns}ses_old`)).toBeNull()
        expect(await storage().sessions.findByHash(hashOf(ns, 'edge'))).toBeNull()
        expect(await storage().sessions.get(`${ns}ses_live`)).toEqual(rows[2])
        expect(await storage().sessions.deleteExpired(T0 - HOUR)).toBe(0)
      },
    )
  },
}
