import { afterEach, describe, expect } from 'vitest'
import { ValidationError } from '../../core/errors.js'
import { shardOf } from '../../core/invoices/run-shard.js'
import { billingFixture, DAY, lineOf } from './billing-fixtures.js'
import { type ConformanceContext, SUITE_NOW } from './context.js'

const utc = (y: number, m: number, d: number, h = 0) => Date.UTC(y, m - 1, d, h)
const iso = (ms: number) => new Date(ms).toISOString()

/** The billing cycle through `createBilling` with an injected clock: periods, trials, versions, late events. */
export function billingCycleTests(t: ConformanceContext): void {
  const { it } = t
  describe('billing cycle', () => {
    afterEach(() => t.setNow(SUITE_NOW))

    it('bills 13 months from Jan 31 (leap February included), with and without a 14-day trial, gapless and exactly once', async () => {
      const f = await billingFixture(t, 'year')
      const plan = await f.plan('basic', {
        name: 'Basic',
        currency: 'NGN',
        interval: 'month',
        trial_days: 14,
        fixed_amount: '500000',
        charges: [{ meter: f.calls, model: 'per_unit', unit_amount: '50' }],
      })
      const a = await f.customer('a')
      const b = await f.customer('b')
      t.setNow(utc(2027, 1, 31))
      const trialSub = await f.billing.subscriptions.create({
        customer_id: a,
        plan_code: plan,
        start_at: '2027-01-31',
      })
      const plainSub = await f.billing.subscriptions.create({
        customer_id: b,
        plan_code: plan,
        start_at: '2027-01-31',
        trial_days: 0,
      })
      expect(trialSub).toMatchObject({ status: 'trialing', trial_end: iso(utc(2027, 2, 14)) })
      expect(plainSub).toMatchObject({
        status: 'active',
        current_period_start: iso(utc(2027, 1, 31)),
        current_period_end: iso(utc(2027, 2, 28)),
      })

      // One event a day at noon for each customer; invoicing runs every day at noon.
      const days: number[] = []
      for (let day = utc(2027, 1, 31, 12); day <= utc(2028, 3, 1, 12); day += DAY) {
        await f.use(a, day)
        await f.use(b, day)
        days.push(day)
        await f.run(day)
      }
      const usageIn = (from: number, to: number) => days.filter((d) => d >= from && d < to).length

      const ends = [
        utc(2027, 1, 31),
        utc(2027, 2, 28),
        utc(2027, 3, 31),
        utc(2027, 4, 30),
        utc(2027, 5, 31),
        utc(2027, 6, 30),
        utc(2027, 7, 31),
        utc(2027, 8, 31),
        utc(2027, 9, 30),
        utc(2027, 10, 31),
        utc(2027, 11, 30),
        utc(2027, 12, 31),
        utc(2028, 1, 31),
        utc(2028, 2, 29),
        utc(2028, 3, 31),
      ]
      const plain = await f.invoicesOf(plainSub.id)
      expect(plain.map((i) => i.period_end)).toEqual(ends.slice(0, 14).map(iso))
      expect(plain[0]).toMatchObject({ billing_reason: 'subscription_create', total: 500000 })
      expect(lineOf(plain[0]!, 'usage')).toEqual([])
      for (let k = 1; k < plain.length; k++) {
        const invoice = plain[k]!
        const calls = usageIn(ends[k - 1]!, ends[k]!)
        expect(invoice.period_start).toBe(iso(ends[k - 1]!))
        expect(lineOf(invoice, 'usage')[0]).toMatchObject({ quantity: String(calls), amount: calls * 50 })
        expect(lineOf(invoice, 'fixed')[0]).toMatchObject({
          amount: 500000,
          period_start: iso(ends[k]!),
          period_end: iso(ends[k + 1]!),
        })
        expect(invoice.total).toBe(calls * 50 + 500000)
      }

      const trialEnds = [utc(2027, 2, 14)]
      for (let m = 3; m <= 14; m++) trialEnds.push(utc(2027, m, 14))
      trialEnds.push(utc(2028, 2, 14))
      const trial = await f.invoicesOf(trialSub.id)
      expect(trial.map((i) => i.period_end)).toEqual(trialEnds.slice(0, 13).map(iso))
      expect(trial[0]!.lines.map((l) => l.type)).toEqual(['fixed'])
      expect(lineOf(trial[1]!, 'usage')[0]!.quantity).toBe(String(usageIn(trialEnds[0]!, trialEnds[1]!)))

      const all = [...plain, ...trial]
      expect(all.every((i) => i.status === 'open' && i.finalized_at !== null)).toBe(true)
      const numbers = all.map((i) => Number(i.number!.replace(/^INV-/, ''))).sort((x, y) => x - y)
      expect(new Set(numbers).size).toBe(numbers.length)
      expect(numbers[numbers.length - 1]! - numbers[0]!).toBe(numbers.length - 1)

      // Running again changes nothing: exactly one invoice per period.
      const again = await f.run(utc(2028, 3, 1, 13))
      expect(
        again.created.filter((i) => i.subscription_id === plainSub.id || i.subscription_id === trialSub.id),
      ).toEqual([])
      expect((await f.billing.subscriptions.get(trialSub.id)).status).toBe('active')
    }, 600_000)

    it('moves a subscription to a plan update at its next period start and records the version', async () => {
      const f = await billingFixture(t, 'version')
      const plan = await f.perCallPlan('pro', { fixed_amount: '100000' })
      const { customer: c, sub } = await f.subscribe('c', plan, '2027-03-01')
      await f.use(c, utc(2027, 3, 5), 10)
      t.setNow(utc(2027, 3, 15))
      const v2 = await f.billing.plans.update(plan, {
        fixed_amount: '200000',
        charges: [{ meter: f.calls, model: 'per_unit', unit_amount: '100' }],
      })
      expect(v2.version).toBe(2)
      expect((await f.billing.subscriptions.get(sub.id)).plan_version).toBe(1)
      await f.use(c, utc(2027, 3, 20), 10)
      await f.run(utc(2027, 4, 1, 2))
      await f.use(c, utc(2027, 4, 10), 10)
      await f.run(utc(2027, 5, 1, 2))
      const [opening, march, april] = await f.invoicesOf(sub.id)
      expect(opening).toMatchObject({ plan_version: 1, total: 100000 })
      expect(march).toMatchObject({ plan_version: 1 })
      expect(lineOf(march!, 'usage')[0]).toMatchObject({ quantity: '20', amount: 1000 })
      expect(lineOf(march!, 'fixed')[0]!.amount).toBe(200000)
      expect(april).toMatchObject({ plan_version: 2 })
      expect(lineOf(april!, 'usage')[0]).toMatchObject({ quantity: '10', amount: 1000 })
      expect((await f.billing.subscriptions.get(sub.id)).plan_version).toBe(2)
    }, 120_000)

    it('lets a late event change the draft inside the grace period and refuses it after finalization', async () => {
      const f = await billingFixture(t, 'late')
      const plan = await f.perCallPlan('late')
      const { customer: c, sub } = await f.subscribe('c', plan, '2027-05-01')
      await f.use(c, utc(2027, 5, 10), 3)
      const first = await f.run(utc(2027, 6, 1) + 10 * 60_000)
      const draft = first.created.find(
        (i) => i.subscription_id === sub.id && i.billing_reason === 'subscription_cycle',
      )!
      expect(draft).toMatchObject({ status: 'draft', number: null, total: 150 })

      t.setNow(utc(2027, 6, 1) + 20 * 60_000)
      await f.use(c, utc(2027, 5, 31, 23), 1)
      await f.run(utc(2027, 6, 1) + 30 * 60_000)
      expect(await f.billing.invoices.get(draft.id)).toMatchObject({ status: 'draft', total: 200 })

      const done = await f.run(utc(2027, 6, 1, 1) + 5 * 60_000)
      const final = done.finalized.find((i) => i.id === draft.id)!
      expect(final).toMatchObject({ status: 'open', total: 200 })
      expect(final.number).toMatch(/^INV-\d{6,}$/)

      t.setNow(utc(2027, 6, 1, 1) + 10 * 60_000)
      const late = await f.billing.events.ingest({
        events: [
          {
            event_name: f.event,
            customer_id: c,
            idempotency_key: `${f.ns}too-late`,
            timestamp: utc(2027, 5, 31, 23),
          },
          {
            event_name: f.event,
            customer_id: c,
            idempotency_key: `${f.ns}e1`,
            timestamp: utc(2027, 5, 10),
            properties: { tokens: 0 },
          },
          {
            event_name: f.event,
            customer_id: c,
            idempotency_key: `${f.ns}june`,
            timestamp: utc(2027, 6, 1, 0),
          },
        ],
      })
      expect(late.results.map((r) => r.status)).toEqual(['rejected', 'duplicate', 'accepted'])
      expect(late.results[0]!.error).toMatchObject({ code: 'PERIOD_CLOSED', path: 'timestamp' })
      const may = await f.billing.usage.get({
        customer_id: c,
        meter: f.calls,
        from: utc(2027, 5, 1),
        to: utc(2027, 6, 1),
      })
      expect(may.quantity).toBe(4)
      expect(await f.billing.invoices.get(draft.id)).toMatchObject({ total: 200, number: final.number })
    }, 120_000)

    it('splits a run into shards: each shard drafts and finalizes only its subscriptions, together all of them once', async () => {
      const f = await billingFixture(t, 'shard')
      const plan = await f.perCallPlan('shard')
      const subs: string[] = []
      for (const id of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) {
        const { customer, sub } = await f.subscribe(id, plan, '2027-07-01')
        await f.use(customer, utc(2027, 7, 10), 2)
        subs.push(sub.id)
      }
      const byShard = [0, 1, 2].map((index) => subs.filter((id) => shardOf(id, 3) === index))
      const mine = (invoices: ReadonlyArray<{ subscription_id: string; period_end: string }>) =>
        invoices
          .filter((i) => subs.includes(i.subscription_id) && i.period_end === iso(utc(2027, 8, 1)))
          .map((i) => i.subscription_id)
          .sort()
      const run = (now: number, index?: number) => {
        t.setNow(now)
        return f.billing.invoices.run(index === undefined ? {} : { shard: { index, count: 3 } })
      }

      // Inside the grace period: drafts, shard by shard.
      const drafting = [await run(utc(2027, 8, 1) + 60_000, 0), await run(utc(2027, 8, 1) + 60_000, 1)]
      expect(mine(drafting[0]!.created)).toEqual([...byShard[0]!].sort())
      expect(mine(drafting[1]!.created)).toEqual([...byShard[1]!].sort())
      // Past it: shard 2 creates its invoices final; shard 0 finalizes only its own drafts.
      const late = utc(2027, 8, 1, 2)
      expect(mine((await run(late, 2)).finalized)).toEqual([...byShard[2]!].sort())
      expect(mine((await run(late, 0)).finalized)).toEqual([...byShard[0]!].sort())
      // An unsharded run takes what is left, and nothing is invoiced twice.
      expect(mine((await run(late)).finalized)).toEqual([...byShard[1]!].sort())
      for (const id of subs) {
        const august = (await f.invoicesOf(id)).filter((i) => i.period_end === iso(utc(2027, 8, 1)))
        expect(august).toHaveLength(1)
        expect(august[0]).toMatchObject({ status: 'open', total: 100 })
      }

      for (const shard of [
        { index: 3, count: 3 },
        { index: 0, count: 0 },
        { index: 0.5, count: 2 },
      ]) {
        const error = await f.billing.invoices.run({ shard }).catch((e: unknown) => e)
        expect(error).toBeInstanceOf(ValidationError)
        expect((error as ValidationError).details.path).toMatch(/^shard\./)
      }
    }, 120_000)

    it('cancels at period end: the last period is billed, no fee after it, nothing later', async () => {
      const f = await billingFixture(t, 'cancel')
      const plan = await f.perCallPlan('c', { fixed_amount: '500000' })
      const { customer: c, sub } = await f.subscribe('c', plan, '2027-07-01')
      await f.use(c, utc(2027, 7, 5), 4)
      t.setNow(utc(2027, 7, 10))
      const canceled = await f.billing.subscriptions.cancel(sub.id, { at_period_end: true })
      expect(canceled).toMatchObject({
        status: 'active',
        cancel_at_period_end: true,
        ended_at: iso(utc(2027, 8, 1)),
      })
      await f.run(utc(2027, 8, 1, 2))
      await f.run(utc(2027, 9, 1, 2))
      const invoices = await f.invoicesOf(sub.id)
      expect(invoices).toHaveLength(2)
      expect(invoices[1]).toMatchObject({ billing_reason: 'subscription_cancel', total: 200, status: 'open' })
      expect(lineOf(invoices[1]!, 'fixed')).toEqual([])
      expect((await f.billing.subscriptions.get(sub.id)).status).toBe('canceled')
    }, 120_000)

    it('cancels at once: usage up to the cancel instant is billed on a last invoice', async () => {
      const f = await billingFixture(t, 'now')
      const plan = await f.perCallPlan('n', { fixed_amount: '500000', minimum_amount: '1000000' })
      const { customer: c, sub } = await f.subscribe('c', plan, '2027-07-01')
      await f.use(c, utc(2027, 7, 3), 2)
      t.setNow(utc(2027, 7, 15, 12))
      const canceled = await f.billing.subscriptions.cancel(sub.id)
      expect(canceled).toMatchObject({ status: 'canceled', ended_at: iso(utc(2027, 7, 15, 12)) })
      await f.use(c, utc(2027, 7, 15, 13), 5)
      await f.run(utc(2027, 7, 15, 14))
      const [, last] = await f.invoicesOf(sub.id)
      expect(last).toMatchObject({
        billing_reason: 'subscription_cancel',
        period_start: iso(utc(2027, 7, 1)),
        period_end: iso(utc(2027, 7, 15, 12)),
        total: 100,
        status: 'open',
      })
    }, 120_000)

    it('changes plan at period end and starts the date-only start at local midnight of the customer', async () => {
      const f = await billingFixture(t, 'change')
      const basic = await f.plan('basic', {
        name: 'Basic',
        currency: 'NGN',
        interval: 'month',
        charges: [{ meter: f.calls, model: 'per_unit', unit_amount: '50' }],
      })
      const cheap = await f.plan('bulk', {
        name: 'Bulk',
        currency: 'NGN',
        interval: 'month',
        charges: [{ meter: f.calls, model: 'per_unit', unit_amount: '20' }],
      })
      const c = await f.customer('c', 'Africa/Lagos')
      t.setNow(utc(2027, 1, 1))
      const sub = await f.billing.subscriptions.create({
        customer_id: c,
        plan_code: basic,
        start_at: '2027-01-01',
      })
      expect(sub.current_period_start).toBe('2026-12-31T23:00:00.000Z')
      expect(sub.current_period_end).toBe('2027-01-31T23:00:00.000Z')
      await f.use(c, utc(2027, 1, 10), 10)
      const changed = await f.billing.subscriptions.changePlan(sub.id, { plan_code: cheap, at: 'period_end' })
      expect(changed.pending_change).toEqual({ plan_code: cheap, effective_at: '2027-01-31T23:00:00.000Z' })
      await f.use(c, utc(2027, 2, 10), 10)
      await f.run(utc(2027, 3, 1))
      const [, january, february] = await f.invoicesOf(sub.id)
      expect(january).toMatchObject({ plan_code: basic, total: 500 })
      expect(february).toMatchObject({ plan_code: cheap, total: 200 })
      expect(february!.period_start).toBe('2027-01-31T23:00:00.000Z')
    }, 120_000)
  })
}
