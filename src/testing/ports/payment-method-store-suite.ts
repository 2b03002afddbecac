import { expect } from 'vitest'
import { LATER, method } from './port-fixtures.js'
import { ids, type PortSuite } from './port-suite.js'

/**
 * `storage.paymentMethods`: `insert` once per id, `get`, `list` of one customer (detached ones
 * included), `save` (last write wins).
 *
 * @example
 * runStorageSuites({ name: 'mine', create, suites: [paymentMethodStoreSuite] })
 */
export const paymentMethodStoreSuite: PortSuite = {
  id: 'paymentMethods',
  title: 'storage.paymentMethods',
  register: ({ storage, unique, test }) => {
    test(
      'paymentMethods.insert',
      'insert: true once per id; false on a taken id, changing nothing',
      async () => {
        const ns = unique('pm')
        expect(await storage().paymentMethods.insert(method(`${ns}pm_1`, `${ns}c_1`))).toBe(true)
        expect(
          await storage().paymentMethods.insert({ ...method(`${ns}pm_1`, `${ns}c_2`), authorization: 'x' }),
        ).toBe(false)
        expect(await storage().paymentMethods.get(`${ns}pm_1`)).toEqual(method(`${ns}pm_1`, `${ns}c_1`))
        const racing = await Promise.all(
          Array.from({ length: 10 }, () => storage().paymentMethods.insert(method(`${ns}race`, `${ns}c_1`))),
        )
        expect(racing.filter(Boolean)).toHaveLength(1)
      },
    )

    test(
      'paymentMethods.get-list-save',
      'get, list a customer’s in id order (detached included), save',
      async () => {
        const ns = unique('pm')
        for (const [id, customer] of [
          ['pm_2', 'c_1'],
          ['pm_1', 'c_1'],
          ['pm_3', 'c_2'],
          ['pm_4', 'c_1'],
        ] as const)
          expect(await storage().paymentMethods.insert(method(`${ns}${id}`, `${ns}${customer}`))).toBe(true)
        expect(await storage().paymentMethods.get(`${ns}pm_1`)).toEqual(method(`${ns}pm_1`, `${ns}c_1`))
        expect(await storage().paymentMethods.get(`${ns}pm_none`)).toBeNull()
        const detached = { ...method(`${ns}pm_2`, `${ns}c_1`), detached_at: LATER }
        await storage().paymentMethods.save(detached)
        expect(await storage().paymentMethods.get(`${ns}pm_2`)).toEqual(detached)
        const listed = await storage().paymentMethods.list(`${ns}c_1`)
        expect(ids(listed)).toEqual([`${ns}pm_1`, `${ns}pm_2`, `${ns}pm_4`])
        expect(listed[1]).toEqual(detached)
        expect(ids(await storage().paymentMethods.list(`${ns}c_2`))).toEqual([`${ns}pm_3`])
        expect(await storage().paymentMethods.list(`${ns}c_none`)).toEqual([])
      },
    )
  },
}
