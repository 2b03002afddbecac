import { describe, expect } from 'vitest'
import { createBilling } from '../../core/billing.js'
import { BillingError } from '../../core/errors.js'
import { type ConformanceContext, SUITE_NOW } from './context.js'
import { asSeparateRequests } from './separate-requests.js'

const DAY = 86_400_000

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (error instanceof BillingError) return error.code
    throw error
  }
  throw new Error('expected a BillingError')
}

/** Limits, pause blocks, `check`, enforcement at ingest and reservations, on every storage. */
export function entitlementTests(t: ConformanceContext): void {
  const { it } = t
  describe('entitlements', () => {
    /** A customer subscribed now to a plan made of `extra`, with a count meter and a tokens meter. */
    async function limited(label: string, extra: Record<string, unknown>) {
      const ns = t.unique(label)
      const b = t.billing()
      await b.meters.create({ code: `${ns}calls`, event_name: `${ns}call`, aggregation: 'count' })
      await b.meters.create({
        code: `${ns}tokens`,
        event_name: `${ns}call`,
        aggregation: 'sum',
        property: 'tokens',
      })
      const limits = (extra.limits as Array<Record<string, unknown>> | undefined)?.map((l) => ({
        ...l,
        meter: `${ns}${l.meter}`,
      }))
      const charges = (extra.charges as Array<Record<string, unknown>> | undefined)?.map((c) => ({
        ...c,
        meter: `${ns}${c.meter}`,
      }))
      await b.plans.create({
        code: `${ns}plan`,
        name: 'Limited',
        currency: 'NGN',
        interval: 'month',
        ...(limits ? { limits: limits as never } : {}),
        ...(charges ? { charges: charges as never } : {}),
      })
      await b.customers.create({ id: `${ns}cus` })
      const sub = await b.subscriptions.create({ customer_id: `${ns}cus`, plan_code: `${ns}plan` })
      const call = (key: string, tokens = 1, reservation_id?: string) => ({
        event_name: `${ns}call`,
        customer_id: `${ns}cus`,
        idempotency_key: `${ns}${key}`,
        properties: { tokens },
        ...(reservation_id === undefined ? {} : { reservation_id }),
      })
      const check = (meter: string, quantity?: number) =>
        b.entitlements.check({
          customer_id: `${ns}cus`,
          meter: `${ns}${meter}`,
          ...(quantity === undefined ? {} : { quantity }),
        })
      return { ns, b, sub, call, check }
    }

    it('a reject limit refuses each event past it with QUOTA_EXCEEDED, the rest of the batch goes in, and check says why', async () => {
      t.setNow(SUITE_NOW)
      const { b, call, check } = await limited('lim', {
        limits: [
          { meter: 'calls', quantity: 5, on_exceed: 'reject' },
          { meter: 'tokens', quantity: 10, on_exceed: 'allow' },
        ],
      })
      expect(await check('calls')).toMatchObject({
        allowed: true,
        reason: null,
        used: 0,
        limit: 5,
        remaining: 5,
        enforced: true,
      })
      const r = await b.events.ingest({ events: Array.from({ length: 7 }, (_, i) => call(`e${i}`, 3)) })
      expect(r).toMatchObject({ accepted: 5, rejected: 2 })
      expect(r.results[5]).toMatchObject({ status: 'rejected', error: { code: 'QUOTA_EXCEEDED' } })
      expect(await check('calls')).toMatchObject({
        allowed: false,
        reason: 'limit_reached',
        used: 5,
        remaining: 0,
      })
      // The allow limit is reported, never enforced: 15 tokens of 10.
      expect(await check('tokens', 100)).toMatchObject({
        allowed: true,
        used: 15,
        limit: 10,
        remaining: 0,
        enforced: false,
      })
      // A replay of an accepted event is a duplicate, not a refusal; a refused one is still refused.
      const replay = await b.events.ingest({ events: [call('e0', 3), call('e6', 3)] })
      expect(replay.results.map((x) => x.status)).toEqual(['duplicate', 'rejected'])
      expect(await codeOf(b.entitlements.check({ customer_id: 'x', meter: 'no_such_meter' }))).toBe(
        'NOT_FOUND',
      )
    })

    it('concurrent single-event ingests in one process accept exactly the limit', async () => {
      t.setNow(SUITE_NOW)
      const { b, call, check } = await limited('limrace', {
        limits: [{ meter: 'calls', quantity: 7, on_exceed: 'reject' }],
      })
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => b.events.ingest({ events: [call(`k${i}`)] })),
      )
      expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(7)
      expect(await check('calls')).toMatchObject({ used: 7, allowed: false })
    })

    it('single-event requests of a busy server, merged or not, accept exactly the limit in arrival order', async () => {
      t.setNow(SUITE_NOW)
      const { b, call, check } = await limited('limturns', {
        limits: [{ meter: 'calls', quantity: 15, on_exceed: 'reject' }],
      })
      // Three turns of ten requests, each from its own callback: the limit falls inside the second.
      const statuses: string[] = []
      for (let turn = 0; turn < 3; turn++) {
        const results = await asSeparateRequests(10, (i) =>
          b.events.ingest({ events: [call(`t${turn}-${i}`)] }),
        )
        for (const r of results) statuses.push(r.results[0]!.error?.code ?? r.results[0]!.status)
      }
      expect(statuses).toEqual([...Array(15).fill('accepted'), ...Array(15).fill('QUOTA_EXCEEDED')])
      expect(await check('calls')).toMatchObject({ used: 15, allowed: false })
    })

    it('a prepaid block that pauses is the limit; one billed as overage only reports it', async () => {
      t.setNow(SUITE_NOW)
      const paused = await limited('blk', {
        charges: [
          {
            meter: 'calls',
            model: 'prepaid_block',
            block_size: 3,
            block_amount: '5000000',
            on_depletion: 'pause',
          },
        ],
      })
      const r = await paused.b.events.ingest({ events: [0, 1, 2, 3].map((i) => paused.call(`p${i}`)) })
      expect(r).toMatchObject({ accepted: 3, rejected: 1 })
      expect(await paused.check('calls')).toMatchObject({ allowed: false, reason: 'limit_reached', limit: 3 })
      const overage = await limited('ovg', {
        charges: [
          {
            meter: 'calls',
            model: 'prepaid_block',
            block_size: 3,
            block_amount: '5000000',
            overage_unit_amount: '100',
          },
        ],
      })
      const o = await overage.b.events.ingest({ events: [0, 1, 2, 3].map((i) => overage.call(`o${i}`)) })
      expect(o.accepted).toBe(4)
      expect(await overage.check('calls')).toMatchObject({
        allowed: true,
        used: 4,
        limit: 3,
        enforced: false,
      })
    })

    it('check refuses canceled, paused and unsubscribed customers, saying which', async () => {
      t.setNow(SUITE_NOW)
      const { ns, b, sub, check } = await limited('subst', {
        limits: [{ meter: 'calls', quantity: 5, on_exceed: 'reject' }],
      })
      const other = await b.entitlements.check({ customer_id: `${ns}nobody`, meter: `${ns}calls` })
      expect(other).toMatchObject({ allowed: false, reason: 'no_subscription', limit: null })
      const stored = (await t.storage().subscriptions.get(sub.id))!
      await t.storage().subscriptions.update({ ...stored, status: 'paused', revision: stored.revision + 1 })
      // A second instance (another process) reads the paused state from the store. Not closed: it
      // would close the shared storage; its refresh timer never keeps the process alive.
      const elsewhere = await createBilling({ storage: t.storage(), clock: () => SUITE_NOW, migrate: false })
      const seen = await elsewhere.entitlements.check({ customer_id: `${ns}cus`, meter: `${ns}calls` })
      expect(seen).toMatchObject({ allowed: false, reason: 'subscription_paused', limit: 5 })
      await b.subscriptions.cancel(sub.id)
      expect(await check('calls')).toMatchObject({ allowed: false, reason: 'subscription_canceled' })
    })

    it('a canceled subscription refuses usage of its enforced limits from the cancel on; usage timestamped before it still counts', async () => {
      t.setNow(SUITE_NOW)
      const { b, sub, call } = await limited('cancel', {
        limits: [{ meter: 'calls', quantity: 100, on_exceed: 'reject' }],
      })
      await b.events.ingest({ events: [call('before')] })
      t.setNow(SUITE_NOW + 60_000)
      await b.subscriptions.cancel(sub.id)
      const r = await b.events.ingest({
        events: [call('after'), { ...call('late'), timestamp: SUITE_NOW + 30_000 }],
      })
      expect(r.results.map((x) => x.error?.code ?? x.status)).toEqual(['SUBSCRIPTION_CANCELED', 'accepted'])
      t.setNow(SUITE_NOW)
    })

    it('limits are per period: the next period starts from zero, and a plan version applies from its first period', async () => {
      t.setNow(SUITE_NOW)
      const { ns, b, call, check } = await limited('period', {
        limits: [{ meter: 'calls', quantity: 2, on_exceed: 'reject' }],
      })
      await b.events.ingest({ events: [call('a'), call('b'), call('c')] })
      expect(await check('calls')).toMatchObject({ used: 2, allowed: false })
      await b.plans.update(`${ns}plan`, {
        limits: [{ meter: `${ns}calls`, quantity: 4, on_exceed: 'reject' }],
      })
      expect(await check('calls')).toMatchObject({ limit: 2 })
      t.setNow(SUITE_NOW + 31 * DAY)
      expect(await check('calls')).toMatchObject({ used: 0, limit: 4, allowed: true })
      const r = await b.events.ingest({ events: ['d', 'e', 'f', 'g', 'h'].map((k) => call(k)) })
      expect(r.accepted).toBe(4)
      t.setNow(SUITE_NOW)
    })

    it('each event is weighed against its own period among the many a customer has had: late events count toward theirs', async () => {
      t.setNow(SUITE_NOW)
      const { b, call, check } = await limited('aged', {
        limits: [{ meter: 'calls', quantity: 2, on_exceed: 'reject' }],
      })
      // Four monthly periods, each opened by an event in it; the third is full.
      const period = (k: number) => SUITE_NOW + k * 31 * DAY
      for (const k of [0, 1, 2]) {
        t.setNow(period(k))
        await b.events.ingest({ events: [call(`p${k}`)] })
      }
      await b.events.ingest({ events: [call('p2-full')] })
      t.setNow(period(3))
      const r = await b.events.ingest({
        events: [
          call('now-1'),
          { ...call('late-in-2'), timestamp: period(2) + 1000 },
          call('now-2'),
          { ...call('late-in-1'), timestamp: period(1) + 1000 },
          call('now-3'),
        ],
      })
      expect(r.results.map((x) => x.error?.code ?? x.status)).toEqual([
        'accepted',
        'QUOTA_EXCEEDED',
        'accepted',
        'accepted',
        'QUOTA_EXCEEDED',
      ])
      expect(await check('calls')).toMatchObject({ used: 2, allowed: false })
      t.setNow(SUITE_NOW)
    })

    it('a reservation held at the end of a period and settled by an event of the next frees the period it holds in', async () => {
      t.setNow(SUITE_NOW)
      const { b, call, sub, ns } = await limited('edge', {
        limits: [{ meter: 'calls', quantity: 2, on_exceed: 'reject' }],
      })
      const end = Date.parse(sub.current_period_end)
      t.setNow(end - 1000)
      await b.events.ingest({ events: [call('first')] })
      const held = await b.entitlements.reserve({
        customer_id: `${ns}cus`,
        meter: `${ns}calls`,
        quantity: 1,
        idempotency_key: `${ns}r`,
      })
      expect(held).toMatchObject({ allowed: true, status: 'held' })
      // The period is full (one used, one held) until its reservation is settled.
      t.setNow(end + 1000)
      const settled = await b.events.ingest({ events: [call('settles', 1, held.id!)] })
      expect(settled.accepted).toBe(1)
      const late = await b.events.ingest({ events: [{ ...call('late'), timestamp: end - 500 }] })
      expect(late.results.map((x) => x.error?.code ?? x.status)).toEqual(['accepted'])
      t.setNow(SUITE_NOW)
    })

    it('a reservation holds against the limit, is settled by its event with the real quantity, and frees itself when it expires', async () => {
      t.setNow(SUITE_NOW)
      const { b, call, check, ns } = await limited('rsv', {
        limits: [{ meter: 'tokens', quantity: 1000, on_exceed: 'reject' }],
      })
      const reserve = (key: string, quantity: number, expires_in_ms?: number) =>
        b.entitlements.reserve({
          customer_id: `${ns}cus`,
          meter: `${ns}tokens`,
          quantity,
          idempotency_key: `${ns}${key}`,
          ...(expires_in_ms === undefined ? {} : { expires_in_ms }),
        })
      const held = await reserve('r1', 600)
      expect(held).toMatchObject({ allowed: true, status: 'held', used: 600, remaining: 400 })
      expect(await reserve('r1', 600)).toMatchObject({ id: held.id, allowed: true })
      expect(await reserve('r2', 500)).toMatchObject({ allowed: false, reason: 'limit_reached', id: null })
      expect(await check('tokens', 500)).toMatchObject({ allowed: false })

      const settled = await b.events.ingest({ events: [call('e1', 700, held.id!)] })
      expect(settled.accepted).toBe(1)
      expect(await check('tokens')).toMatchObject({ used: 700, remaining: 300 })
      expect(await codeOf(b.entitlements.release(held.id!))).toBe('RESERVATION_NOT_HELD')
      const again = await b.events.ingest({ events: [call('e2', 1, held.id!)] })
      expect(again.results[0]).toMatchObject({
        status: 'rejected',
        error: { code: 'RESERVATION_NOT_HELD', path: 'reservation_id' },
      })
      expect(await codeOf(b.entitlements.release(`${ns}missing`))).toBe('NOT_FOUND')

      const short = await reserve('r3', 300, 1_000)
      expect(await check('tokens')).toMatchObject({ remaining: 0 })
      const released = await reserve('r4', 100)
      expect(released.allowed).toBe(false)
      t.setNow(SUITE_NOW + 2_000)
      expect(await reserve('r5', 300)).toMatchObject({ allowed: true })
      const late = await b.events.ingest({ events: [call('e3', 10, short.id!)] })
      expect(late.results[0]?.error?.code).toBe('RESERVATION_EXPIRED')
      expect(await codeOf(b.entitlements.release(short.id!))).toBe('RESERVATION_EXPIRED')
      t.setNow(SUITE_NOW)
    })

    it('bad input: negative, fractional counts, unknown meters and reservations on an unlimited meter are typed errors', async () => {
      t.setNow(SUITE_NOW)
      const { ns, b, check } = await limited('entbad', {
        limits: [{ meter: 'tokens', quantity: 10, on_exceed: 'reject' }],
      })
      expect(await codeOf(check('calls', -1))).toBe('INVALID_QUANTITY')
      expect(await codeOf(check('calls', 1.5))).toBe('INVALID_QUANTITY')
      expect(await check('tokens', 1.5)).toMatchObject({ allowed: true })
      expect(await codeOf(check('nope'))).toBe('NOT_FOUND')
      const base = { customer_id: `${ns}cus`, idempotency_key: `${ns}k`, quantity: 1 }
      expect(await codeOf(b.entitlements.reserve({ ...base, meter: `${ns}calls` }))).toBe('INVALID_LIMIT')
      expect(await codeOf(b.entitlements.reserve({ ...base, meter: `${ns}tokens`, quantity: 0 }))).toBe(
        'INVALID_QUANTITY',
      )
      expect(await codeOf(b.entitlements.reserve({ ...base, meter: `${ns}tokens`, expires_in_ms: 0 }))).toBe(
        'VALIDATION_ERROR',
      )
      const plan = { code: `${ns}bad`, name: 'Bad', currency: 'NGN', interval: 'month' as const }
      await b.meters.create({
        code: `${ns}peak`,
        event_name: `${ns}call`,
        aggregation: 'max',
        property: 'tokens',
      })
      expect(
        await codeOf(
          b.plans.create({ ...plan, limits: [{ meter: `${ns}peak`, quantity: 1, on_exceed: 'reject' }] }),
        ),
      ).toBe('INVALID_LIMIT')
      expect(
        await codeOf(
          b.plans.create({ ...plan, limits: [{ meter: `${ns}none`, quantity: 1, on_exceed: 'reject' }] }),
        ),
      ).toBe('UNKNOWN_METER')
      expect(
        await codeOf(
          b.plans.create({ ...plan, limits: [{ meter: `${ns}calls`, quantity: -1, on_exceed: 'reject' }] }),
        ),
      ).toBe('INVALID_AMOUNT')
    })
  })
}
