import { expect } from 'vitest'
import type { ApiKeyRecord } from '../../core/ports/index.js'
import { HOUR, T0 } from './port-fixtures.js'
import { own, type PortSuite } from './port-suite.js'

/** A 64-hex-digit hash unique to a test and a name. */
const hashOf = (ns: string, name: string): string =>
  Buffer.from(`${ns}${name}`).toString('hex').padEnd(64, '0').slice(-64)

const key = (ns: string, name: string): ApiKeyRecord => ({
  id: `${ns}key_${name}`,
  name: `service ${name}`,
  scopes: ['events:write', 'usage:read'],
  prefix: `kbm_sk_${name}`,
  hash: hashOf(ns, name),
  created_at: T0,
  expires_at: T0 + 24 * HOUR,
  last_used_at: null,
  revoked_at: null,
})

/**
 * `storage.apiKeys`: `insert` once per id, `get` and `findByHash` (hashes compared byte for byte),
 * `list` paging, `revoke` once (also under concurrency), `touch` moving times forward only, for
 * many keys at once.
 *
 * @example
 * runStorageSuites({ name: 'mine', create, suites: [apiKeyStoreSuite] })
 */
export const apiKeyStoreSuite: PortSuite = {
  id: 'apiKeys',
  title: 'storage.apiKeys',
  register: ({ storage, unique, test }) => {
    test('apiKeys.insert-get', 'insert once per id; get and findByHash answer the stored key', async () => {
      const ns = unique('key')
      const a = key(ns, 'a')
      expect(await storage().apiKeys.insert(a)).toBe(true)
      expect(await storage().apiKeys.insert({ ...a, name: 'other', hash: hashOf(ns, 'other') })).toBe(false)
      expect(await storage().apiKeys.get(a.id)).toEqual(a)
      expect(await storage().apiKeys.findByHash(a.hash)).toEqual(a)
      expect(await storage().apiKeys.get(`${ns}key_missing`)).toBeNull()
      expect(await storage().apiKeys.findByHash(hashOf(ns, 'missing'))).toBeNull()
    })

    test('apiKeys.hash-exact', 'findByHash: no case folding, no trailing-space or prefix match', async () => {
      const ns = unique('key')
      const a = key(ns, 'exact')
      await storage().apiKeys.insert(a)
      const lowerHex = a.hash
      expect(await storage().apiKeys.findByHash(lowerHex.toUpperCase())).toBeNull()
      expect(await storage().apiKeys.findByHash(`${lowerHex} `)).toBeNull()
      expect(await storage().apiKeys.findByHash(lowerHex.slice(0, 63))).toBeNull()
      expect(await storage().apiKeys.findByHash('')).toBeNull()
      const spaced = { ...key(ns, 'spaced'), hash: `${hashOf(ns, 'spaced').slice(0, 63)} ` }
      expect(await storage().apiKeys.insert(spaced)).toBe(true)
      expect(await storage().apiKeys.findByHash(spaced.hash.trimEnd())).toBeNull()
      expect((await storage().apiKeys.findByHash(spaced.hash))?.id).toBe(spaced.id)
    })

    test('apiKeys.list', 'list: id order, after an id, at most limit', async () => {
      const ns = unique('key')
      for (const name of ['c', 'a', 'b']) await storage().apiKeys.insert(key(ns, name))
      const all = await storage().apiKeys.list({ after: ns, limit: 3 })
      expect(own(ns, all)).toEqual([`${ns}key_a`, `${ns}key_b`, `${ns}key_c`])
      expect(all[0]).toEqual(key(ns, 'a'))
      const next = await storage().apiKeys.list({ after: `${ns}key_a`, limit: 1 })
      expect(next.map((k) => k.id)).toEqual([`${ns}key_b`])
    })

    test('apiKeys.revoke-once', 'revoke: once, also by 10 concurrent revokes', async () => {
      const ns = unique('key')
      const a = key(ns, 'r')
      await storage().apiKeys.insert(a)
      const racing = await Promise.all(
        Array.from({ length: 10 }, (_, i) => storage().apiKeys.revoke(a.id, T0 + HOUR + i)),
      )
      expect(racing.filter(Boolean)).toHaveLength(1)
      const revoked = await storage().apiKeys.get(a.id)
      expect(revoked?.revoked_at).toBe(T0 + HOUR + racing.indexOf(true))
      expect(await storage().apiKeys.revoke(a.id, T0 + 2 * HOUR)).toBe(false)
      expect(await storage().apiKeys.revoke(`${ns}key_missing`, T0)).toBe(false)
    })

    test(
      'apiKeys.touch',
      'touch: only moves forward, many keys in one call, unknown ids ignored',
      async () => {
        const ns = unique('key')
        const names = Array.from({ length: 250 }, (_, i) => `t${String(i).padStart(3, '0')}`)
        for (const name of names) await storage().apiKeys.insert(key(ns, name))
        await storage().apiKeys.touch([
          ...names.map((name, i) => ({ id: `${ns}key_${name}`, at: T0 + i })),
          { id: `${ns}key_t000`, at: T0 + HOUR },
          { id: `${ns}key_missing`, at: T0 },
        ])
        await storage().apiKeys.touch([
          { id: `${ns}key_t000`, at: T0 + 1 },
          { id: `${ns}key_t001`, at: T0 + 2 * HOUR },
        ])
        const listed = await storage().apiKeys.list({ after: ns, limit: 250 })
        const times = new Map(listed.map((k) => [k.id, k.last_used_at]))
        expect(times.get(`${ns}key_t000`)).toBe(T0 + HOUR)
        expect(times.get(`${ns}key_t001`)).toBe(T0 + 2 * HOUR)
        expect(times.get(`${ns}key_t249`)).toBe(T0 + 249)
        expect(await storage().apiKeys.get(`${ns}key_missing`)).toBeNull()
        await storage().apiKeys.touch([])
      },
      60_000,
    )
  },
}
