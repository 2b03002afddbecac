import { expect } from 'vitest'
import { compileMeterEffects } from '../../core/meters/meter-effects.js'
import type { AllowanceOpening, ReservationRecord, Storage } from '../../core/ports/index.js'
import { event, HOUR, meter, T0 } from './port-fixtures.js'
import type { PortSuite } from './port-suite.js'

const DAY = 24 * HOUR

/** A month-long allowance of `limit` on `meter` for one customer, from T0. */
const opening = (customer_id: string, code: string, limit: string, enforce = true): AllowanceOpening => ({
  customer_id,
  meter: code,
  period_start: T0,
  period_end: T0 + 31 * DAY,
  limit,
  enforce,
})

const reservation = (
  ns: string,
  key: string,
  customer_id: string,
  code: string,
  quantity: string,
  expires_at = T0 + HOUR,
): ReservationRecord => ({
  id: `${ns}rsv_${key}`,
  idempotency_key: `${ns}${key}`,
  customer_id,
  meter: code,
  period_start: T0,
  quantity,
  status: 'held',
  expires_at,
  created_at: T0,
  settled_by: null,
  settled_quantity: null,
})

async function calls(storage: Storage, ns: string, customer: string, keys: string[], at = T0 + HOUR) {
  return storage.events.append(
    keys.map((k) => event(ns, `${ns}${k}`, customer, at)),
    compileMeterEffects,
  )
}

const statuses = (outcomes: ReadonlyArray<{ status: string }>) => outcomes.map((o) => o.status)

/**
 * `storage.entitlements`: `open` counts what is stored and every later append exactly once;
 * appends refuse what would pass an enforced limit (per event, duplicates still duplicates);
 * `reserve` holds atomically and idempotently; `release`, expiry and `grant`.
 *
 * @example
 * runStorageSuites({ name: 'mine', create, suites: [entitlementStoreSuite] })
 */
export const entitlementStoreSuite: PortSuite = {
  id: 'entitlements',
  title: 'storage.entitlements',
  register: ({ storage, unique, test }) => {
    test('entitlements.open', 'open: counts the period’s stored events once, then every append', async () => {
      const ns = unique('ent')
      const c = `${ns}c`
      await storage().meters.insert(meter(ns, `${ns}calls`), compileMeterEffects)
      // Two before the period, three inside it (one mid-hour), none after.
      await storage().events.append(
        [T0 - 1, T0 - HOUR, T0, T0 + 90 * 60_000, T0 + 2 * DAY].map((t, i) =>
          event(ns, `${ns}old${i}`, c, t),
        ),
        compileMeterEffects,
      )
      const [first] = await storage().entitlements.open(
        [opening(c, `${ns}calls`, '10')],
        compileMeterEffects,
        T0,
      )
      expect(first).toMatchObject({ used: '3', granted: '0', reserved: '0', limit: '10', enforce: true })
      const [again] = await storage().entitlements.open(
        [opening(c, `${ns}calls`, '99')],
        compileMeterEffects,
        T0,
      )
      expect(again).toEqual(first)
      await calls(storage(), ns, c, ['a', 'b'])
      const [read] = await storage().entitlements.read([{ customer_id: c, meter: `${ns}calls` }], T0 + DAY)
      expect(read?.used).toBe('5')
      expect(read!.revision).toBeGreaterThan(first!.revision)
      expect(await storage().entitlements.read([{ customer_id: c, meter: `${ns}calls` }], T0 - 1)).toEqual([])
    })

    test(
      'entitlements.open-together',
      'open: many callers at once each get their own allowances, counted from their own events',
      async () => {
        const ns = unique('ent')
        const codes = [`${ns}calls`, `${ns}more`] // two meters of the same event name
        for (const code of codes) await storage().meters.insert(meter(ns, code), compileMeterEffects)
        const customers = Array.from({ length: 12 }, (_, i) => `${ns}c${i}`)
        // Customer i has i % 4 events in the period, mid-hour (read from events, not rollups).
        await storage().events.append(
          customers.flatMap((c, i) =>
            Array.from({ length: i % 4 }, (_, k) => event(ns, `${ns}e${i}_${k}`, c, T0 + k * HOUR + 1_234)),
          ),
          compileMeterEffects,
        )
        // Each customer's opening twice, by two callers at once, and every customer at once.
        const calls = [...customers, ...customers].map((c, i) =>
          storage().entitlements.open(
            codes.map((code) => opening(c, code, String(10 + i))),
            compileMeterEffects,
            T0 + i,
          ),
        )
        const answers = await Promise.all(calls)
        for (const [i, answer] of answers.entries()) {
          const c = customers[i % customers.length]!
          expect(answer.map((a) => [a.customer_id, a.meter, a.used])).toEqual(
            codes.map((code) => [c, code, String((i % customers.length) % 4)]),
          )
          // The second caller of a customer finds the first one's allowance, with its limit.
          expect(answer).toEqual(answers[i % customers.length])
        }
        const stored = await storage().entitlements.read(
          customers.flatMap((c) => codes.map((code) => ({ customer_id: c, meter: code }))),
          T0,
        )
        expect(stored).toHaveLength(customers.length * codes.length)
      },
    )

    test(
      'entitlements.enforce',
      'append: refuses each event past an enforced limit; the rest go in',
      async () => {
        const ns = unique('ent')
        const c = `${ns}c`
        await storage().meters.insert(meter(ns, `${ns}calls`), compileMeterEffects)
        await storage().entitlements.open([opening(c, `${ns}calls`, '3')], compileMeterEffects, T0)
        const out = await calls(storage(), ns, c, ['a', 'b', 'c', 'd', 'e'])
        expect(statuses(out)).toEqual(['accepted', 'accepted', 'accepted', 'refused', 'refused'])
        expect(out[3]).toMatchObject({
          refusal: { code: 'QUOTA_EXCEEDED', meter: `${ns}calls`, limit: '3', used: '3' },
        })
        // A stored key is still a duplicate at the limit; a refused key was never stored.
        expect(statuses(await calls(storage(), ns, c, ['a', 'd']))).toEqual(['duplicate', 'refused'])
        const usage = await storage().meters.readRollups({
          meter: `${ns}calls`,
          customer_id: c,
          fromBucket: T0,
          toBucket: T0 + DAY,
        })
        expect(usage.count).toBe(3)
        // Another customer, and the same customer outside the period, are not limited by it.
        expect(statuses(await calls(storage(), ns, `${ns}other`, ['x']))).toEqual(['accepted'])
        expect(statuses(await calls(storage(), ns, c, ['late'], T0 + 40 * DAY))).toEqual(['accepted'])
      },
    )

    test(
      'entitlements.report',
      'append: an allowance that is not enforced counts past its limit',
      async () => {
        const ns = unique('ent')
        const c = `${ns}c`
        await storage().meters.insert(meter(ns, `${ns}calls`), compileMeterEffects)
        await storage().entitlements.open([opening(c, `${ns}calls`, '1', false)], compileMeterEffects, T0)
        expect(statuses(await calls(storage(), ns, c, ['a', 'b']))).toEqual(['accepted', 'accepted'])
        const [a] = await storage().entitlements.read([{ customer_id: c, meter: `${ns}calls` }], T0)
        expect(a?.used).toBe('2')
      },
    )

    test(
      'entitlements.race',
      'append: concurrent appends against one limit accept exactly the limit',
      async () => {
        const ns = unique('ent')
        const c = `${ns}c`
        await storage().meters.insert(meter(ns, `${ns}calls`), compileMeterEffects)
        await storage().entitlements.open([opening(c, `${ns}calls`, '25')], compileMeterEffects, T0)
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            calls(storage(), ns, c, [`${i}a`, `${i}b`, `${i}c`, `${i}d`, `${i}e`]),
          ),
        )
        const accepted = results.flat().filter((o) => o.status === 'accepted').length
        expect(accepted).toBe(25)
        const [a] = await storage().entitlements.read([{ customer_id: c, meter: `${ns}calls` }], T0)
        expect(a?.used).toBe('25')
      },
    )

    test(
      'entitlements.reserve',
      'reserve: holds against the limit, once per key; refuses what does not fit',
      async () => {
        const ns = unique('ent')
        const c = `${ns}c`
        await storage().meters.insert(meter(ns, `${ns}tok`, 'tokens'), compileMeterEffects)
        await storage().entitlements.open([opening(c, `${ns}tok`, '1000')], compileMeterEffects, T0)
        const held = await storage().entitlements.reserve(reservation(ns, 'r1', c, `${ns}tok`, '600'), T0)
        expect(held).toMatchObject({
          created: true,
          reservation: { status: 'held' },
          allowance: { reserved: '600' },
        })
        const again = await storage().entitlements.reserve(
          { ...reservation(ns, 'r1', c, `${ns}tok`, '600'), id: 'x' },
          T0,
        )
        expect(again).toMatchObject({
          created: false,
          reservation: { id: `${ns}rsv_r1` },
          allowance: { reserved: '600' },
        })
        const refused = await storage().entitlements.reserve(reservation(ns, 'r2', c, `${ns}tok`, '500'), T0)
        expect(refused).toMatchObject({ created: false, reservation: null, allowance: { reserved: '600' } })
        // An event past what is left is refused while the hold stands.
        const big = event(ns, `${ns}big`, c, T0 + 1, {
          properties: { tokens: 401 },
          properties_json: '{"tokens":401}',
        })
        expect(statuses(await storage().events.append([big], compileMeterEffects))).toEqual(['refused'])
        expect(await storage().entitlements.getReservation(`${ns}rsv_r1`)).toMatchObject({ quantity: '600' })
        expect(await storage().entitlements.getReservation(`${ns}none`)).toBeNull()
      },
    )

    test(
      'entitlements.settle',
      'append: an event naming a reservation settles it with its real quantity',
      async () => {
        const ns = unique('ent')
        const c = `${ns}c`
        await storage().meters.insert(meter(ns, `${ns}tok`, 'tokens'), compileMeterEffects)
        await storage().entitlements.open([opening(c, `${ns}tok`, '1000')], compileMeterEffects, T0)
        await storage().entitlements.reserve(reservation(ns, 'r1', c, `${ns}tok`, '900'), T0)
        const tokens = (key: string, n: number, extra: Record<string, string> = {}) =>
          event(ns, `${ns}${key}`, c, T0 + 5, {
            properties: { tokens: n },
            properties_json: `{"tokens":${n}}`,
            ...extra,
          })
        // Settles past the limit: the work was done under the hold.
        const out = await storage().events.append(
          [tokens('e1', 1200, { reservation_id: `${ns}rsv_r1` })],
          compileMeterEffects,
        )
        expect(statuses(out)).toEqual(['accepted'])
        expect(await storage().entitlements.getReservation(`${ns}rsv_r1`)).toMatchObject({
          status: 'settled',
          settled_by: `${ns}e1`,
          settled_quantity: '1200',
        })
        const [a] = await storage().entitlements.read([{ customer_id: c, meter: `${ns}tok` }], T0)
        expect(a).toMatchObject({ used: '1200', reserved: '0' })
        // Settling again, an unknown id, another customer's reservation: refused, nothing stored.
        await storage()
          .entitlements.reserve(reservation(ns, 'other', `${ns}d`, `${ns}tok`, '1'), T0)
          .catch(() => null)
        const bad = await storage().events.append(
          [
            tokens('e2', 1, { reservation_id: `${ns}rsv_r1` }),
            tokens('e3', 1, { reservation_id: `${ns}nope` }),
          ],
          compileMeterEffects,
        )
        expect(bad.map((o) => (o.status === 'refused' ? o.refusal.code : o.status))).toEqual([
          'RESERVATION_NOT_HELD',
          'RESERVATION_NOT_FOUND',
        ])
      },
    )

    test(
      'entitlements.release-expire',
      'release once; expired holds free their quantity lazily',
      async () => {
        const ns = unique('ent')
        const c = `${ns}c`
        await storage().meters.insert(meter(ns, `${ns}calls`), compileMeterEffects)
        await storage().entitlements.open([opening(c, `${ns}calls`, '10')], compileMeterEffects, T0)
        await storage().entitlements.reserve(reservation(ns, 'r1', c, `${ns}calls`, '4'), T0)
        const releases = await Promise.all([
          storage().entitlements.release(`${ns}rsv_r1`, T0 + 1),
          storage().entitlements.release(`${ns}rsv_r1`, T0 + 1),
        ])
        expect(releases.filter((r) => r?.changed)).toHaveLength(1)
        expect(releases[0]?.reservation.status).toBe('released')
        expect(await storage().entitlements.release(`${ns}none`, T0)).toBeNull()

        await storage().entitlements.reserve(reservation(ns, 'r2', c, `${ns}calls`, '10', T0 + 1000), T0)
        // At the limit until the hold expires; an append after expiry frees it and goes in.
        const before = await storage().events.append(
          [event(ns, `${ns}e1`, c, T0 + 10, { received_at: T0 + 999 })],
          compileMeterEffects,
        )
        expect(statuses(before)).toEqual(['refused'])
        const after = await storage().events.append(
          [event(ns, `${ns}e1`, c, T0 + 10, { received_at: T0 + 1000 })],
          compileMeterEffects,
        )
        expect(statuses(after)).toEqual(['accepted'])
        expect((await storage().entitlements.getReservation(`${ns}rsv_r2`))?.status).toBe('expired')

        await storage().entitlements.reserve(
          reservation(ns, 'r3', c, `${ns}calls`, '2', T0 + 2000),
          T0 + 1500,
        )
        expect(await storage().entitlements.expire(T0 + 2000)).toBeGreaterThanOrEqual(1)
        const [a] = await storage().entitlements.read([{ customer_id: c, meter: `${ns}calls` }], T0)
        expect(a).toMatchObject({ used: '1', reserved: '0' })
      },
    )

    test(
      'entitlements.grant',
      'grant: adds to an open allowance (concurrent grants all add); null when not open',
      async () => {
        const ns = unique('ent')
        const c = `${ns}c`
        await storage().meters.insert(meter(ns, `${ns}calls`), compileMeterEffects)
        await storage().entitlements.open([opening(c, `${ns}calls`, '1')], compileMeterEffects, T0)
        await Promise.all(
          Array.from({ length: 5 }, () =>
            storage().entitlements.grant({ customer_id: c, meter: `${ns}calls`, period_start: T0 }, '2', T0),
          ),
        )
        const [a] = await storage().entitlements.read([{ customer_id: c, meter: `${ns}calls` }], T0)
        expect(a?.granted).toBe('10')
        expect(
          statuses(
            await calls(
              storage(),
              ns,
              c,
              Array.from({ length: 12 }, (_, i) => `k${i}`),
            ),
          ).filter((s) => s === 'accepted'),
        ).toHaveLength(11)
        expect(
          await storage().entitlements.grant(
            { customer_id: c, meter: `${ns}calls`, period_start: 0 },
            '1',
            T0,
          ),
        ).toBeNull()
      },
    )

    test(
      'entitlements.block',
      'block: an enforced allowance refuses events from the instant it is blocked until cleared',
      async () => {
        const ns = unique('ent')
        const c = `${ns}c`
        await storage().meters.insert(meter(ns, `${ns}calls`), compileMeterEffects)
        await storage().entitlements.open([opening(c, `${ns}calls`, '100')], compileMeterEffects, T0)
        const [written] = await storage().entitlements.block(c, T0 + HOUR, 'paused')
        expect(written).toMatchObject({ blocked: 'paused', blocked_at: T0 + HOUR })
        const before = await calls(storage(), ns, c, ['early'], T0 + HOUR - 1)
        const after = await calls(storage(), ns, c, ['late'], T0 + HOUR)
        expect(statuses(before)).toEqual(['accepted'])
        expect(after.map((o) => (o.status === 'refused' ? o.refusal.code : o.status))).toEqual([
          'SUBSCRIPTION_PAUSED',
        ])
        await storage().entitlements.block(c, T0 + HOUR, null)
        expect(statuses(await calls(storage(), ns, c, ['late'], T0 + HOUR))).toEqual(['accepted'])
        expect(await storage().entitlements.block(`${ns}nobody`, T0, 'canceled')).toEqual([])
        // Blocked allowances hold nothing new either.
        await storage().entitlements.block(c, T0, 'canceled')
        const refused = await storage().entitlements.reserve(reservation(ns, 'b1', c, `${ns}calls`, '1'), T0)
        expect(refused.reservation).toBeNull()
      },
    )
  },
}
