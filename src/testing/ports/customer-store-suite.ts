import { expect } from 'vitest'
import { customer } from './port-fixtures.js'
import { ids, own, type PortSuite } from './port-suite.js'

/**
 * `storage.customers`: `insert` once per id, `get`, `save` (last write wins), `list` in id order
 * (optionally among given ids).
 *
 * @example
 * runStorageSuites({ name: 'mine', create, suites: [customerStoreSuite] })
 */
export const customerStoreSuite: PortSuite = {
  id: 'customers',
  title: 'storage.customers',
  register: ({ storage, unique, test }) => {
    test('customers.insert', 'insert: true when stored; false on a taken id, changing nothing', async () => {
      const ns = unique('cus')
      expect(await storage().customers.insert(customer(`${ns}c_1`, 'first'))).toBe(true)
      expect(await storage().customers.insert(customer(`${ns}c_1`, 'again'))).toBe(false)
      expect(await storage().customers.get(`${ns}c_1`)).toEqual(customer(`${ns}c_1`, 'first'))
    })

    test(
      'customers.insert-race',
      'insert: of 10 concurrent inserts of one id exactly one is true',
      async () => {
        const ns = unique('cus')
        const racing = await Promise.all(
          Array.from({ length: 10 }, (_, i) => storage().customers.insert(customer(`${ns}race`, `n${i}`))),
        )
        expect(racing.filter(Boolean)).toHaveLength(1)
        const winner = racing.indexOf(true)
        expect((await storage().customers.get(`${ns}race`))?.name).toBe(`n${winner}`)
      },
    )

    test('customers.get', 'get: the stored customer, field for field; null when absent', async () => {
      const ns = unique('cus')
      const stored = { ...customer(`${ns}c_1`, 'Ada'), email: 'ada@example.com', metadata: { tier: 'gold' } }
      await storage().customers.insert(stored)
      expect(await storage().customers.get(`${ns}c_1`)).toEqual(stored)
      expect(await storage().customers.get(`${ns}nobody`)).toBeNull()
    })

    test('customers.save', 'save: replaces a stored customer; the last write wins', async () => {
      const ns = unique('cus')
      await storage().customers.insert(customer(`${ns}c_2`))
      await storage().customers.save(customer(`${ns}c_2`, 'Ada'))
      await storage().customers.save({ ...customer(`${ns}c_2`, 'Grace'), tax_id: 'TIN-1' })
      expect(await storage().customers.get(`${ns}c_2`)).toEqual({
        ...customer(`${ns}c_2`, 'Grace'),
        tax_id: 'TIN-1',
      })
    })

    test(
      'customers.list',
      'list: id order, strictly after `after`, at most `limit`, among `ids`',
      async () => {
        const ns = unique('cus')
        for (const id of ['c_3', 'c_1', 'c_5', 'c_2', 'c_4'])
          expect(await storage().customers.insert(customer(`${ns}${id}`))).toBe(true)
        const page = (after: string, limit: number) =>
          storage().customers.list({ after: `${ns}${after}`, limit })
        expect(ids(await page('', 2))).toEqual([`${ns}c_1`, `${ns}c_2`])
        expect(ids(await page('c_2', 2))).toEqual([`${ns}c_3`, `${ns}c_4`])
        expect(ids(await page('c_4', 1))).toEqual([`${ns}c_5`])
        // Other tests' ids may follow this namespace's (`…_10_` sorts before `…_6_`).
        expect(own(ns, await page('c_1', 5))).toEqual([`${ns}c_2`, `${ns}c_3`, `${ns}c_4`, `${ns}c_5`])
        expect((await page('c_5', 10)).filter((c) => c.id.startsWith(ns))).toEqual([])
        const [first] = await page('', 1)
        expect(first).toEqual(customer(`${ns}c_1`))
        // Without `after`, the list starts at the first id of the store.
        expect(own(ns, await storage().customers.list({ limit: 1000 }))).toEqual(
          ['c_1', 'c_2', 'c_3', 'c_4', 'c_5'].map((id) => `${ns}${id}`),
        )
        // With `ids`: only those that exist, in id order, still paged.
        const among = [`${ns}c_4`, `${ns}nobody`, `${ns}c_2`]
        expect(await storage().customers.list({ ids: among, limit: 10 })).toEqual([
          customer(`${ns}c_2`),
          customer(`${ns}c_4`),
        ])
        expect(ids(await storage().customers.list({ ids: among, limit: 1 }))).toEqual([`${ns}c_2`])
        expect(ids(await storage().customers.list({ ids: among, after: `${ns}c_2`, limit: 10 }))).toEqual([
          `${ns}c_4`,
        ])
        expect(await storage().customers.list({ ids: [], limit: 10 })).toEqual([])
      },
    )
  },
}
