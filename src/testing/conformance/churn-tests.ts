import { afterAll, beforeAll, describe, expect } from 'vitest'
import { type Billing, createBilling } from '../../core/billing.js'
import type { Notification, NotificationType } from '../../core/notifications/types.js'
import { billingFixture, DAY, HOUR } from './billing-fixtures.js'
import { type CheckoutHarness, checkoutHarness } from './checkout-fixture.js'
import type { ConformanceContext } from './context.js'

const MINUTE = 60_000

/** A customer's notifications of one type, oldest first. */
async function notificationsOf(billing: Billing, customer_id: string, type: NotificationType) {
  return (await billing.notifications.list({ customer_id, type, limit: 100 })).data
}

/** A billing instance on the suite's storage with a clock of its own (and its own daily sweep). */
async function ownClock(t: ConformanceContext, start: number) {
  let now = start
  const billing = await createBilling({ storage: t.storage(), clock: () => now, migrate: false })
  return {
    billing,
    setNow: (ms: number) => {
      now = ms
    },
    /** Ticks until the day's usage sweep has been through every subscription. */
    async sweep() {
      for (let i = 0; i < 100; i++) if ((await billing.tick()).churn.usage_sweep_done) return
      throw new Error('the usage sweep did not finish in 100 ticks')
    },
  }
}

/** Trials about to end and customers at risk, reported by `tick` with the injected clock. */
export function churnTests(t: ConformanceContext): void {
  const { it } = t
  describe('churn: trials ending and customers at risk', () => {
    it('writes subscription.trial_will_end once, 3 days before the trial ends, and trial_ended_without_payment_method after', async () => {
      const f = await billingFixture(t, 'trial-end')
      const plan = await f.perCallPlan('trial', { trial_days: 10 })
      const { customer: carded, sub: withCard } = await f.subscribe('carded', plan, '2026-10-01')
      const { customer: bare, sub: withoutCard } = await f.subscribe('bare', plan, '2026-10-01')
      await t.storage().paymentMethods.insert({
        id: `${f.ns}pm`,
        customer_id: carded,
        gateway: 'paystack',
        email: 'carded@example.ng',
        card: null,
        created_at: '2026-10-01T00:00:00.000Z',
        metadata: {},
        authorization: `AUTH_${f.ns}`,
        detached_at: null,
      })
      const trialEnd = Date.parse('2026-10-11T00:00:00Z')
      expect(withCard.trial_end).toBe(new Date(trialEnd).toISOString())
      const willEnd = async (customer: string) =>
        notificationsOf(f.billing, customer, 'subscription.trial_will_end')
      const atRisk = async (customer: string) => notificationsOf(f.billing, customer, 'customer.at_risk')

      t.setNow(trialEnd - 3 * DAY - MINUTE)
      await f.billing.tick()
      expect(await willEnd(carded)).toEqual([])
      expect(await willEnd(bare)).toEqual([])

      t.setNow(trialEnd - 3 * DAY)
      const first = await f.billing.tick()
      expect(first.churn.trial_will_end).toBeGreaterThanOrEqual(2)
      const [cardedNotice] = await willEnd(carded)
      expect(cardedNotice).toMatchObject({
        type: 'subscription.trial_will_end',
        created_at: new Date(trialEnd - 3 * DAY).toISOString(),
        customer_id: carded,
        data: {
          subscription_id: withCard.id,
          customer_id: carded,
          plan_code: plan,
          trial_end: '2026-10-11T00:00:00.000Z',
          has_payment_method: true,
        },
      })
      expect(cardedNotice!.data).not.toHaveProperty('checkout_url')
      expect((await willEnd(bare)).map((n) => n.data)).toEqual([
        {
          subscription_id: withoutCard.id,
          customer_id: bare,
          plan_code: plan,
          trial_end: '2026-10-11T00:00:00.000Z',
          has_payment_method: false,
          checkout_url: null,
        },
      ])

      t.setNow(trialEnd - HOUR)
      await f.billing.tick()
      expect(await willEnd(carded)).toHaveLength(1)
      expect(await willEnd(bare)).toHaveLength(1)
      expect(await atRisk(bare)).toEqual([])

      t.setNow(trialEnd)
      await f.billing.tick()
      t.setNow(trialEnd + DAY)
      await f.billing.tick()
      expect(await willEnd(bare)).toHaveLength(1)
      expect(await atRisk(carded)).toEqual([])
      expect((await atRisk(bare)).map((n) => [n.created_at, n.data])).toEqual([
        [
          new Date(trialEnd).toISOString(),
          {
            customer_id: bare,
            reason: 'trial_ended_without_payment_method',
            subscription_id: withoutCard.id,
            trial_end: '2026-10-11T00:00:00.000Z',
          },
        ],
      ])
    }, 120_000)

    it('gives a trial shorter than 3 days its notice at the first tick of the trial', async () => {
      const f = await billingFixture(t, 'trial-short')
      const plan = await f.perCallPlan('short', { trial_days: 2 })
      const { customer, sub } = await f.subscribe('short', plan, '2026-10-20')
      t.setNow(Date.parse('2026-10-20T00:00:00Z') + MINUTE)
      await f.billing.tick()
      const notices = await notificationsOf(f.billing, customer, 'subscription.trial_will_end')
      expect(notices.map((n) => n.data)).toEqual([
        expect.objectContaining({ subscription_id: sub.id, trial_end: '2026-10-22T00:00:00.000Z' }),
      ])
    }, 120_000)

    it('takes the notice from notifications.churn, and refuses a bad churn option', async () => {
      const f = await billingFixture(t, 'trial-notice')
      const plan = await f.perCallPlan('notice', { trial_days: 14 })
      const { customer } = await f.subscribe('notice', plan, '2026-10-01')
      const trialEnd = Date.parse('2026-10-15T00:00:00Z')
      let now = trialEnd - 5 * DAY - MINUTE
      const billing = await createBilling({
        storage: t.storage(),
        clock: () => now,
        migrate: false,
        notifications: { churn: { trialNoticeDays: 5 } },
      })
      await billing.tick()
      expect(await notificationsOf(billing, customer, 'subscription.trial_will_end')).toEqual([])
      now = trialEnd - 5 * DAY
      await billing.tick()
      expect(await notificationsOf(billing, customer, 'subscription.trial_will_end')).toHaveLength(1)
      await expect(
        createBilling({
          storage: t.storage(),
          migrate: false,
          notifications: { churn: { usageDropRatio: 2 } },
        }),
      ).rejects.toMatchObject({
        code: 'INVALID_OPTIONS',
        details: { path: 'notifications.churn.usageDropRatio' },
      })
    }, 120_000)

    it('reports a usage drop below 30% of the 4-week weekly average once a week; not a steady or a small customer', async () => {
      const f = await billingFixture(t, 'usage-drop')
      const plan = await f.perCallPlan('drop')
      const { customer: steady } = await f.subscribe('steady', plan, '2026-07-06')
      const { customer: dropping, sub } = await f.subscribe('dropping', plan, '2026-07-06')
      const { customer: small } = await f.subscribe('small', plan, '2026-07-06')
      // The baseline weeks start on Aug 10; the recent week is Sep 7 to Sep 14.
      const week = (n: number) => Date.parse('2026-08-10T12:00:00Z') + n * 7 * DAY
      for (let n = 0; n < 4; n++) {
        await f.use(steady, week(n), 150)
        await f.use(dropping, week(n), 150)
        await f.use(small, week(n), 60)
      }
      await f.use(steady, week(4), 140)
      await f.use(steady, week(5), 150)
      await f.use(dropping, week(4), 20)
      await f.use(small, week(4), 0)

      const monday = Date.parse('2026-09-14T09:00:00Z')
      const clock = await ownClock(t, monday)
      await clock.sweep()
      const atRisk = (customer: string) => notificationsOf(clock.billing, customer, 'customer.at_risk')
      expect(await atRisk(steady)).toEqual([])
      expect(await atRisk(small)).toEqual([])
      const expected = {
        customer_id: dropping,
        reason: 'usage_drop',
        subscription_id: sub.id,
        meter: f.calls,
        recent: '20',
        baseline: '150',
        ratio: 0.1333,
      }
      expect((await atRisk(dropping)).map((n) => n.data)).toEqual([expected])

      // Swept again the next day (another process, say): the same week, nothing new.
      const again = await ownClock(t, monday + DAY)
      await again.sweep()
      expect(await atRisk(dropping)).toHaveLength(1)
      // The next week, still far below its baseline: reported again.
      const next = await ownClock(t, monday + 7 * DAY)
      await next.sweep()
      const reported = await atRisk(dropping)
      expect(reported).toHaveLength(2)
      expect(reported[1]!.data).toMatchObject({ reason: 'usage_drop', recent: '0', meter: f.calls })
      expect(await atRisk(steady)).toEqual([])
    }, 240_000)

    describe('failing payments', () => {
      let h: CheckoutHarness
      const start = Date.parse('2026-11-02T00:00:00Z')
      beforeAll(async () => {
        h = await checkoutHarness(t, start)
      })
      afterAll(async () => {
        await h?.close()
      })

      it('reports payment_failing once per invoice, at its second failed charge in a row', async () => {
        const ns = t.unique('failing')
        const email = 'failing@example.ng'
        const plan = `${ns}fee`
        await h.billing.plans.create({
          code: plan,
          name: 'Fee',
          currency: 'NGN',
          interval: 'month',
          fixed_amount: '500000',
        })
        const customer = `${ns}cus`
        await h.billing.customers.create({ id: customer, email })
        const card = h.paystack.addCard({ email, behaviour: { kind: 'decline', reason: 'Do Not Honor' } })
        await h.billing.paymentMethods.attach({
          customer_id: customer,
          gateway: 'paystack',
          authorization_code: card,
          email,
        })
        const sub = await h.billing.subscriptions.create({
          customer_id: customer,
          plan_code: plan,
          start_at: '2026-11-02',
        })
        const atRisk = () => notificationsOf(h.billing, customer, 'customer.at_risk')
        const failed = async () => {
          const [invoice] = (await h.billing.invoices.list({ customer_id: customer })).data
          return (await h.billing.payments.list({ invoice_id: invoice!.id })).data.filter(
            (p) => p.status === 'failed',
          ).length
        }

        h.setNow(start + MINUTE)
        await h.billing.tick()
        expect(await failed()).toBe(1)
        expect(await atRisk()).toEqual([])

        h.setNow(start + MINUTE + DAY)
        const second = await h.billing.tick()
        expect(await failed()).toBe(2)
        expect(second.churn.at_risk).toBeGreaterThanOrEqual(1)
        const [invoice] = (await h.billing.invoices.list({ customer_id: customer })).data
        const expected = {
          customer_id: customer,
          reason: 'payment_failing',
          invoice_id: invoice!.id,
          subscription_id: sub.id,
          attempts: 2,
        }
        expect((await atRisk()).map((n: Notification) => n.data)).toEqual([expected])

        h.setNow(start + MINUTE + 3 * DAY)
        await h.billing.tick()
        expect(await failed()).toBe(3)
        expect((await atRisk()).map((n) => n.data)).toEqual([expected])
      }, 120_000)
    })
  })
}
