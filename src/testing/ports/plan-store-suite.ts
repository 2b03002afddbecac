import { expect } from 'vitest'
import { plan } from './port-fixtures.js'
import type { PortSuite } from './port-suite.js'

/**
 * `storage.plans`: immutable versions, `insert` once per (code, version), `getVersions` oldest
 * first, `list` the latest version of each code in code order.
 *
 * @example
 * runStorageSuites({ name: 'mine', create, suites: [planStoreSuite] })
 */
export const planStoreSuite: PortSuite = {
  id: 'plans',
  title: 'storage.plans',
  register: ({ storage, unique, test }) => {
    test(
      'plans.insert',
      'insert: true when stored; false on a taken (code, version), changing nothing',
      async () => {
        const ns = unique('pln')
        expect(await storage().plans.insert(plan(`${ns}pro`, 1))).toBe(true)
        expect(await storage().plans.insert(plan(`${ns}pro`, 2))).toBe(true)
        expect(await storage().plans.insert({ ...plan(`${ns}pro`, 2), name: 'other' })).toBe(false)
        expect(await storage().plans.getVersions(`${ns}pro`)).toEqual([
          plan(`${ns}pro`, 1),
          plan(`${ns}pro`, 2),
        ])
      },
    )

    test(
      'plans.insert-race',
      'insert: of 10 concurrent inserts of one version exactly one is true',
      async () => {
        const ns = unique('pln')
        const racing = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            storage().plans.insert({ ...plan(`${ns}pro`, 3), name: `n${i}` }),
          ),
        )
        expect(racing.filter(Boolean)).toHaveLength(1)
        const versions = await storage().plans.getVersions(`${ns}pro`)
        expect(versions.map((p) => p.name)).toEqual([`n${racing.indexOf(true)}`])
      },
    )

    test(
      'plans.get-versions',
      'getVersions: every version, oldest first; empty for an unknown code',
      async () => {
        const ns = unique('pln')
        for (const version of [2, 1, 3]) await storage().plans.insert(plan(`${ns}pro`, version))
        expect((await storage().plans.getVersions(`${ns}pro`)).map((p) => [p.version, p.name])).toEqual([
          [1, `${ns}pro v1`],
          [2, `${ns}pro v2`],
          [3, `${ns}pro v3`],
        ])
        expect(await storage().plans.getVersions(`${ns}none`)).toEqual([])
      },
    )

    test(
      'plans.list',
      'list: the latest version of each code, code order, after `after`, at most `limit`',
      async () => {
        const ns = unique('pln')
        await storage().plans.insert(plan(`${ns}pro`, 1))
        await storage().plans.insert(plan(`${ns}basic`, 1))
        await storage().plans.insert(plan(`${ns}pro`, 2))
        await storage().plans.insert(plan(`${ns}team`, 1))
        const latest = await storage().plans.list({ after: ns, limit: 3 })
        expect(latest.map((p) => [p.code, p.version])).toEqual([
          [`${ns}basic`, 1],
          [`${ns}pro`, 2],
          [`${ns}team`, 1],
        ])
        expect(latest[1]).toEqual(plan(`${ns}pro`, 2))
        expect((await storage().plans.list({ after: `${ns}basic`, limit: 1 })).map((p) => p.code)).toEqual([
          `${ns}pro`,
        ])
        const everything = await storage().plans.list({ limit: 1000 })
        expect(everything.filter((p) => p.code.startsWith(ns)).map((p) => p.code)).toEqual([
          `${ns}basic`,
          `${ns}pro`,
          `${ns}team`,
        ])
      },
    )
  },
}
