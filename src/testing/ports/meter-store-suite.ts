import { expect } from 'vitest'
import { compileMeterEffects } from '../../core/meters/meter-effects.js'
import { event, HOUR, meter, T0 } from './port-fixtures.js'
import type { PortSuite } from './port-suite.js'

/**
 * `storage.meters`: `insert` once per code with a backfill of stored events, `get`, `list` in
 * creation order, and `readRollups` / `readRollupsOfCustomers` over whole buckets.
 *
 * @example
 * runStorageSuites({ name: 'mine', create, suites: [meterStoreSuite] })
 */
export const meterStoreSuite: PortSuite = {
  id: 'meters',
  title: 'storage.meters',
  register: ({ storage, unique, test }) => {
    test('meters.insert', 'insert: true once per code; false on a taken code, changing nothing', async () => {
      const ns = unique('mtr')
      expect(await storage().meters.insert(meter(ns, `${ns}calls`), compileMeterEffects)).toBe(true)
      const other = { ...meter(ns, `${ns}calls`, 'tokens'), name: 'other' }
      expect(await storage().meters.insert(other, compileMeterEffects)).toBe(false)
      expect(await storage().meters.get(`${ns}calls`)).toEqual(meter(ns, `${ns}calls`))
      const racing = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          storage().meters.insert({ ...meter(ns, `${ns}race`), name: `n${i}` }, compileMeterEffects),
        ),
      )
      expect(racing.filter(Boolean)).toHaveLength(1)
      expect((await storage().meters.get(`${ns}race`))?.name).toBe(`n${racing.indexOf(true)}`)
    })

    test(
      'meters.get-list',
      'get: the stored meter or null; list: every meter in creation order',
      async () => {
        const ns = unique('mtr')
        const filtered = { ...meter(ns, `${ns}b_large`, 'tokens'), filters: { model: ['large', 'xl'] } }
        for (const m of [meter(ns, `${ns}c_calls`), filtered, meter(ns, `${ns}a_sum`, 'tokens')])
          await storage().meters.insert(m, compileMeterEffects)
        expect(await storage().meters.get(`${ns}b_large`)).toEqual(filtered)
        expect(await storage().meters.get(`${ns}none`)).toBeNull()
        const codes = (await storage().meters.list()).map((m) => m.code).filter((c) => c.startsWith(ns))
        expect(codes).toEqual([`${ns}c_calls`, `${ns}b_large`, `${ns}a_sum`])
      },
    )

    test(
      'meters.backfill',
      'insert: counts the events stored before it; readRollups reads whole buckets [from, to)',
      async () => {
        const ns = unique('mtr')
        const tokens = (key: string, timestamp: number, n: number) =>
          event(ns, `${ns}${key}`, `${ns}c`, timestamp, {
            properties: { tokens: n },
            properties_json: `{"tokens":${n}}`,
          })
        await storage().events.append(
          [
            tokens('a', T0, 1),
            tokens('b', T0 + HOUR - 1, 2),
            tokens('c', T0 + HOUR, 4),
            tokens('d', T0 + 3 * HOUR, 8),
          ],
          compileMeterEffects,
        )
        await storage().events.append([event(ns, `${ns}e`, `${ns}other`, T0)], compileMeterEffects)
        expect(await storage().meters.insert(meter(ns, `${ns}sum`, 'tokens'), compileMeterEffects)).toBe(true)
        const read = (fromBucket: number, toBucket: number, customer_id = `${ns}c`) =>
          storage().meters.readRollups({ meter: `${ns}sum`, customer_id, fromBucket, toBucket })
        expect(await read(T0, T0 + 4 * HOUR)).toMatchObject({ count: 4, sum: '15' })
        expect(await read(T0, T0 + HOUR)).toMatchObject({ count: 2, sum: '3' })
        expect(await read(T0 + HOUR, T0 + 3 * HOUR)).toMatchObject({ count: 1, sum: '4' })
        expect((await read(T0 + 4 * HOUR, T0 + 9 * HOUR)).count).toBe(0)
        expect((await read(T0, T0 + 4 * HOUR, `${ns}other`)).count).toBe(0)
        // Events after the meter exists count through append.
        await storage().events.append([tokens('f', T0 + 2 * HOUR, 16)], compileMeterEffects)
        expect(await read(T0, T0 + 4 * HOUR)).toMatchObject({ count: 5, sum: '31' })
      },
    )

    test(
      'meters.rollups-of-customers',
      'readRollupsOfCustomers: what readRollups gives each customer, in the order asked, for every aggregation',
      async () => {
        const ns = unique('mtr')
        const valued = (key: string, customer: string, timestamp: number, n: string) =>
          event(ns, `${ns}${key}`, `${ns}${customer}`, timestamp, {
            properties: { tokens: n },
            properties_json: `{"tokens":"${n}"}`,
          })
        const aggregations = ['count', 'sum', 'min', 'max', 'latest', 'unique_count'] as const
        for (const aggregation of aggregations)
          await storage().meters.insert(
            { ...meter(ns, `${ns}${aggregation}`, 'tokens'), aggregation },
            compileMeterEffects,
          )
        await storage().events.append(
          [
            valued('a', 'c1', T0, '1.5'),
            valued('b', 'c1', T0 + HOUR + 5, '-2'),
            valued('c', 'c1', T0 + 2 * HOUR, '12345678901234567890.25'),
            valued('d', 'c2', T0 + 30, '7'),
            valued('e', 'c2', T0 + 30, '8'),
            valued('f', 'c3', T0 + 5 * HOUR, '9'),
          ],
          compileMeterEffects,
        )
        const customer_ids = [`${ns}c2`, `${ns}none`, `${ns}c1`, `${ns}c3`]
        const window = { fromBucket: T0, toBucket: T0 + 3 * HOUR }
        for (const aggregation of aggregations) {
          const query = { meter: `${ns}${aggregation}`, customer_ids, ...window }
          const one = await Promise.all(
            customer_ids.map((customer_id) =>
              storage().meters.readRollups({ meter: query.meter, customer_id, ...window }),
            ),
          )
          for (const asked of [query, { ...query, aggregation }]) {
            const states = await storage().meters.readRollupsOfCustomers(asked)
            expect(states.map((s) => ({ ...s, values: s.values?.sort() ?? null }))).toEqual(
              one.map((s) => ({ ...s, values: s.values?.sort() ?? null })),
            )
          }
          expect(one[1]!.count).toBe(0)
          expect(one[3]!.count).toBe(0)
        }
        const sums = await storage().meters.readRollupsOfCustomers({
          meter: `${ns}sum`,
          customer_ids,
          ...window,
        })
        expect(sums.map((s) => s.sum)).toEqual(['15', null, '12345678901234567889.75', null])
        const latest = await storage().meters.readRollupsOfCustomers({
          meter: `${ns}latest`,
          customer_ids,
          ...window,
        })
        expect(latest.map((s) => s.latest?.value ?? null)).toEqual([
          '8',
          null,
          '12345678901234567890.25',
          null,
        ])
        expect(
          await storage().meters.readRollupsOfCustomers({ meter: `${ns}sum`, customer_ids: [], ...window }),
        ).toEqual([])
      },
    )

    test(
      'meters.insert-during-appends',
      'insert: a meter created while events stream in counts each event once',
      async () => {
        const ns = unique('mtr')
        const appending = Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            storage().events.append(
              Array.from({ length: 25 }, (_, j) => event(ns, `${ns}${i}_${j}`, `${ns}c`, T0 + j * 1000)),
              compileMeterEffects,
            ),
          ),
        )
        const inserting = storage().meters.insert(meter(ns, `${ns}calls`), compileMeterEffects)
        await Promise.all([appending, inserting])
        const state = await storage().meters.readRollups({
          meter: `${ns}calls`,
          customer_id: `${ns}c`,
          fromBucket: T0,
          toBucket: T0 + HOUR,
        })
        expect(state.count).toBe(500)
      },
    )
  },
}
