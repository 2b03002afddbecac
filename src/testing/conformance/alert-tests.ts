import { describe, expect } from 'vitest'
import type { Billing } from '../../core/billing.js'
import type { Notification } from '../../core/notifications/types.js'
import { type ConformanceContext, SUITE_NOW } from './context.js'

const DAY = 86_400_000

/** A notification as the tests compare it: its type and the threshold or limit it names. */
function brief(n: Notification): string {
  const data = n.data as { threshold?: Record<string, unknown>; limit?: string | null }
  if (n.type === 'usage.threshold_reached') return `${n.type} ${JSON.stringify(data.threshold)}`
  if (n.type.startsWith('entitlement.')) return `${n.type} ${data.limit}`
  return n.type
}

/** The customer's usage notifications (its invoices and subscription write others). */
async function notes(b: Billing, customer_id: string): Promise<Notification[]> {
  const all = (await b.notifications.list({ customer_id, limit: 100 })).data
  return all.filter((n) => n.type === 'usage.threshold_reached' || n.type.startsWith('entitlement.'))
}

/** Alerts: thresholds detected in the transaction that stores the crossing event, once per period. */
export function alertTests(t: ConformanceContext): void {
  const { it } = t
  describe('alerts', () => {
    /** A customer subscribed now to a plan with a calls meter (and `extra`), plus an event maker. */
    async function setUp(label: string, extra: Record<string, unknown> = {}) {
      const ns = t.unique(label)
      const b = t.billing()
      await b.meters.create({ code: `${ns}calls`, event_name: `${ns}call`, aggregation: 'count' })
      const limits = (extra.limits as Array<Record<string, unknown>> | undefined)?.map((l) => ({
        ...l,
        meter: `${ns}calls`,
      }))
      const charges = (extra.charges as Array<Record<string, unknown>> | undefined)?.map((c) => ({
        ...c,
        meter: `${ns}calls`,
      }))
      await b.plans.create({
        code: `${ns}plan`,
        name: 'Watched',
        currency: 'NGN',
        interval: 'month',
        ...(limits ? { limits: limits as never } : {}),
        ...(charges ? { charges: charges as never } : {}),
      })
      const customer = `${ns}cus`
      await b.customers.create({ id: customer })
      await b.subscriptions.create({ customer_id: customer, plan_code: `${ns}plan` })
      const calls = (keys: string[], timestamp?: number) =>
        b.events.ingest({
          events: keys.map((key) => ({
            event_name: `${ns}call`,
            customer_id: customer,
            idempotency_key: `${ns}${key}`,
            ...(timestamp === undefined ? {} : { timestamp }),
          })),
        })
      const keys = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `k${from + i}`)
      return { ns, b, customer, calls, keys }
    }

    it('percent thresholds fire once each as usage crosses them, with exhaustion at the limit; replays fire nothing', async () => {
      t.setNow(SUITE_NOW)
      const { ns, b, customer, calls, keys } = await setUp('alr', {
        limits: [{ quantity: 10, on_exceed: 'reject' }],
      })
      const alert = await b.alerts.create({
        meter: `${ns}calls`,
        plan_code: `${ns}plan`,
        thresholds: [{ percent: 80 }, { percent: 100 }],
      })
      expect(alert).toMatchObject({ meter: `${ns}calls`, plan_code: `${ns}plan`, customer_id: null })
      await calls(keys(0, 7))
      expect(await notes(b, customer)).toEqual([])
      await calls(keys(7, 8))
      const [first] = await notes(b, customer)
      expect(first).toMatchObject({
        type: 'usage.threshold_reached',
        customer_id: customer,
        data: {
          alert_id: alert.id,
          threshold: { percent: 80 },
          customer_id: customer,
          meter: `${ns}calls`,
          used: '8',
          limit: '10',
          period_start: '2026-06-01T00:00:00.000Z',
          period_end: '2026-07-01T00:00:00.000Z',
        },
      })
      expect(first!.id).toMatch(/^ntf_/)
      // Two more reach the limit, three more are refused: nothing fires twice.
      await calls(keys(8, 13))
      await calls(keys(0, 13))
      const all = (await notes(b, customer)).map(brief)
      expect(all).toEqual([
        'usage.threshold_reached {"percent":80}',
        'usage.threshold_reached {"percent":100}',
        'entitlement.exhausted 10',
      ])
      expect((await b.alerts.list()).some((a) => a.id === alert.id)).toBe(true)
      expect(await b.alerts.get(alert.id)).toEqual(alert)
    })

    it('quantity and amount thresholds watch a meter without a limit; check reports its exact usage', async () => {
      t.setNow(SUITE_NOW)
      const { ns, b, customer, calls, keys } = await setUp('alrq', {
        charges: [{ model: 'per_unit', unit_amount: '250' }], // ₦2.50 a call
      })
      await b.alerts.create({
        meter: `${ns}calls`,
        customer_id: customer,
        thresholds: [{ quantity: 5 }, { amount: 2000 }],
      })
      await calls(keys(0, 4))
      expect(await notes(b, customer)).toEqual([])
      await calls(keys(4, 5))
      await calls(keys(5, 8)) // 8 calls = ₦20.00
      const all = await notes(b, customer)
      expect(all.map(brief)).toEqual([
        'usage.threshold_reached {"quantity":5}',
        'usage.threshold_reached {"amount":2000}',
      ])
      expect(all[1]!.data).toMatchObject({ used: '8', limit: null, amount: 2000, currency: 'NGN' })
      expect(await b.entitlements.check({ customer_id: customer, meter: `${ns}calls` })).toMatchObject({
        used: 8,
        limit: null,
        allowed: true,
      })
    })

    it('a threshold already passed when the alert is created fires once: at the next ingest, or at tick', async () => {
      t.setNow(SUITE_NOW)
      const a = await setUp('alrp', { limits: [{ quantity: 10, on_exceed: 'allow' }] })
      await a.calls(a.keys(0, 9))
      const second = `${a.ns}cus2`
      await a.b.customers.create({ id: second })
      await a.b.subscriptions.create({ customer_id: second, plan_code: `${a.ns}plan` })
      await a.b.events.ingest({
        events: Array.from({ length: 9 }, (_, i) => ({
          event_name: `${a.ns}call`,
          customer_id: second,
          idempotency_key: `${a.ns}second${i}`,
        })),
      })
      await a.b.alerts.create({
        meter: `${a.ns}calls`,
        plan_code: `${a.ns}plan`,
        thresholds: [{ percent: 50 }],
      })
      // The first customer ingests again: its allowance takes the alert and fires at once.
      await a.calls(a.keys(9, 10))
      expect((await notes(a.b, a.customer)).map(brief)).toEqual([
        'usage.threshold_reached {"percent":50}',
        'entitlement.exhausted 10',
      ])
      // It fired when the ingest loaded the customer, before the new event was stored.
      expect((await notes(a.b, a.customer))[0]!.data).toMatchObject({ used: '9' })
      // The second never ingests again: tick applies the new alert to every customer of the plan.
      expect(await notes(a.b, second)).toEqual([])
      const ticked = await a.b.tick()
      expect(ticked.alerts_swept).toBeGreaterThanOrEqual(2)
      expect((await notes(a.b, second)).map(brief)).toEqual(['usage.threshold_reached {"percent":50}'])
      await a.b.tick()
      await a.calls(a.keys(10, 12))
      expect(await notes(a.b, second)).toHaveLength(1)
      expect(await notes(a.b, a.customer)).toHaveLength(2)
    })

    it('the next period re-arms an alert; a late event in the grace period crosses its threshold once', async () => {
      t.setNow(SUITE_NOW + DAY)
      const { ns, b, customer, calls, keys } = await setUp('alrn', {
        limits: [{ quantity: 10, on_exceed: 'allow' }],
      })
      await b.alerts.create({ meter: `${ns}calls`, plan_code: `${ns}plan`, thresholds: [{ percent: 80 }] })
      await calls(keys(0, 7))
      // Ten minutes into the next period: the run drafts the first period's invoice and waits out
      // the grace period (an hour) before finalizing it. 8 calls cross 80% of the new period.
      t.setNow(SUITE_NOW + DAY + 30 * DAY + 10 * 60_000)
      await b.invoices.run()
      await calls(keys(100, 108))
      // A late event timestamped in the first period brings it to 8 of 10: it fires for that period.
      const late = SUITE_NOW + DAY + 20 * DAY
      await calls(['late'], late)
      await calls(['late'], late)
      const all = await notes(b, customer)
      expect(all.map((n) => (n.data as { period_start: string }).period_start)).toEqual([
        '2026-07-02T00:00:00.000Z',
        '2026-06-02T00:00:00.000Z',
      ])
      expect(all.map((n) => (n.data as { used: string }).used)).toEqual(['8', '8'])
      await calls([...keys(0, 7), ...keys(100, 108), 'late'])
      // Past the grace period the first period is final: a later late event is refused, nothing fires.
      t.setNow(SUITE_NOW + DAY + 30 * DAY + 2 * 3_600_000)
      await b.invoices.run()
      const closed = await calls(['later'], late + 1)
      expect(closed.results[0]?.error?.code).toBe('PERIOD_CLOSED')
      expect(await notes(b, customer)).toHaveLength(2)
    })

    it('a deleted alert stops; bad alerts are refused with INVALID_ALERT or NOT_FOUND', async () => {
      t.setNow(SUITE_NOW)
      const { ns, b, customer, calls, keys } = await setUp('alrd', {
        limits: [{ quantity: 10, on_exceed: 'allow' }],
      })
      const alert = await b.alerts.create({
        meter: `${ns}calls`,
        customer_id: customer,
        thresholds: [{ quantity: 3 }],
      })
      expect(await b.alerts.delete(alert.id)).toEqual({ id: alert.id, deleted: true })
      await calls(keys(0, 5))
      expect(await notes(b, customer)).toEqual([])
      const bad = async (input: unknown) => {
        try {
          await b.alerts.create(input as never)
        } catch (error) {
          const e = error as { code: string; details?: { path?: string } }
          return `${e.code} ${e.details?.path ?? ''}`.trim()
        }
        return 'accepted'
      }
      expect(await bad({ meter: `${ns}calls`, thresholds: [] })).toBe('INVALID_ALERT thresholds')
      expect(await bad({ meter: `${ns}calls`, thresholds: [{ percent: 80, quantity: 3 }] })).toMatch(
        /^INVALID_ALERT/,
      )
      expect(await bad({ meter: `${ns}calls`, thresholds: [{ amount: 1.5 }] })).toMatch(/^INVALID_ALERT/)
      expect(await bad({ meter: `${ns}none`, thresholds: [{ quantity: 1 }] })).toMatch(/^NOT_FOUND/)
      expect(
        await bad({ meter: `${ns}calls`, plan_code: `${ns}none`, thresholds: [{ quantity: 1 }] }),
      ).toMatch(/^NOT_FOUND/)
      expect(
        await bad({ meter: `${ns}calls`, customer_id: `${ns}none`, thresholds: [{ quantity: 1 }] }),
      ).toMatch(/^NOT_FOUND/)
      await expect(b.alerts.delete(alert.id)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    })
  })
}
