import { afterEach, describe, expect } from 'vitest'
import { BillingError } from '../../core/errors.js'
import type { InvoiceRunResult } from '../../core/invoices/types.js'
import { type BillingFixture, billingFixture } from './billing-fixtures.js'
import { type ConformanceContext, SUITE_NOW } from './context.js'

const utc = (y: number, m: number, d: number, h = 0) => Date.UTC(y, m - 1, d, h)
const iso = (ms: number) => new Date(ms).toISOString()

// ₦10 billion a token: one token bills fine, 100,000 tokens (10^17 kobo) no invoice can carry.
const TOKEN_PRICE = '1000000000000'
const TOO_MANY_TOKENS = 100_000

// The conformance suite shares one store: earlier tests' failing subscriptions fail in every run.
const failedOf = (r: InvoiceRunResult, subs: ReadonlyArray<{ sub: { id: string } }>) =>
  r.failed.filter((x) => subs.some(({ sub }) => sub.id === x.subscription_id))

async function lateEvent(f: BillingFixture, customer_id: string, key: string, timestamp: number) {
  const r = await f.billing.events.ingest({
    events: [{ event_name: f.event, customer_id, idempotency_key: `${f.ns}${key}`, timestamp }],
  })
  return r.results[0]!
}

/** One subscription whose invoice cannot be made never stops `invoices.run` for the others. */
export function invoiceRunFailureTests(t: ConformanceContext): void {
  const { it } = t
  describe('invoice run failures', () => {
    afterEach(() => t.setNow(SUITE_NOW))

    it('invoices every other customer, reports the overflowing one with its period and code, and retries it on later runs', async () => {
      const f = await billingFixture(t, 'overflow')
      const plan = await f.plan('tokens', {
        name: 'Tokens',
        currency: 'NGN',
        interval: 'month',
        fixed_amount: '100000',
        charges: [{ meter: f.tokens, model: 'per_unit', unit_amount: TOKEN_PRICE }],
      })
      const a = await f.subscribe('a', plan, '2027-01-01')
      const b = await f.subscribe('b', plan, '2027-01-01')
      const c = await f.subscribe('c', plan, '2027-01-01')
      await f.use(a.customer, utc(2027, 1, 10), 1, 1)
      await f.use(b.customer, utc(2027, 1, 10), 1, TOO_MANY_TOKENS)
      await f.use(c.customer, utc(2027, 1, 10), 1, 1)

      // Three processes' worth of runs at once, past the grace period: each invoice exactly once.
      t.setNow(utc(2027, 2, 3))
      const concurrent = await Promise.all([1, 2, 3].map(() => f.billing.invoices.run()))
      const failure = {
        subscription_id: b.sub.id,
        customer_id: b.customer,
        period_start: iso(utc(2027, 1, 1)),
        period_end: iso(utc(2027, 2, 1)),
        code: 'AMOUNT_OVERFLOW',
      }
      for (const r of concurrent) {
        expect(failedOf(r, [a, b, c])).toEqual([{ ...failure, message: expect.any(String) }])
      }
      const mine = (r: InvoiceRunResult) =>
        r.created.filter((i) => [a.sub.id, b.sub.id, c.sub.id].includes(i.subscription_id))
      expect(concurrent.flatMap(mine)).toHaveLength(5)

      for (const { sub } of [a, c]) {
        const invoices = await f.invoicesOf(sub.id)
        expect(invoices.map((i) => [i.period_end, i.status])).toEqual([
          [iso(utc(2027, 1, 1)), 'open'],
          [iso(utc(2027, 2, 1)), 'open'],
        ])
        expect(invoices[1]).toMatchObject({ total: 1_000_000_000_000 + 100_000 })
      }
      // The failing period is not invoiced; like every period past its grace, its usage is closed.
      expect((await f.invoicesOf(b.sub.id)).map((i) => i.period_end)).toEqual([iso(utc(2027, 1, 1))])
      for (const [customer, key] of [
        [a.customer, 'late-a'],
        [b.customer, 'late-b'],
      ] as const) {
        expect(await lateEvent(f, customer, key, utc(2027, 1, 20))).toMatchObject({
          status: 'rejected',
          error: { code: 'PERIOD_CLOSED' },
        })
      }

      // Later runs try it again and still create nothing twice.
      for (const day of [4, 5]) {
        const again = await f.run(utc(2027, 2, day))
        expect(failedOf(again, [a, b, c])).toEqual([{ ...failure, message: expect.any(String) }])
        expect(mine(again)).toEqual([])
      }
      expect(await f.invoicesOf(a.sub.id)).toHaveLength(2)
      expect(await f.invoicesOf(c.sub.id)).toHaveLength(2)

      // A preview of a period whose usage overflows is a typed error; the others preview as usual.
      await f.use(b.customer, utc(2027, 2, 5, 1), 1, TOO_MANY_TOKENS)
      t.setNow(utc(2027, 2, 5, 2))
      await expect(f.billing.invoices.preview({ customer_id: b.customer })).rejects.toMatchObject({
        code: 'AMOUNT_OVERFLOW',
      })
      await expect(f.billing.invoices.preview({ customer_id: b.customer })).rejects.toBeInstanceOf(
        BillingError,
      )
      await expect(f.billing.invoices.preview({ customer_id: a.customer })).resolves.toMatchObject({
        status: 'preview',
        customer_id: a.customer,
      })
    }, 120_000)

    it('keeps a draft that late usage made unbillable as a draft while the others finalize', async () => {
      const f = await billingFixture(t, 'lateflow')
      const plan = await f.plan('tokens', {
        name: 'Tokens',
        currency: 'NGN',
        interval: 'month',
        charges: [{ meter: f.tokens, model: 'per_unit', unit_amount: TOKEN_PRICE }],
      })
      const a = await f.subscribe('a', plan, '2027-03-01')
      const b = await f.subscribe('b', plan, '2027-03-01')
      await f.use(a.customer, utc(2027, 3, 10), 1, 1)
      await f.use(b.customer, utc(2027, 3, 10), 1, 1)

      // Inside the grace period: both get drafts; then a late event makes b's unbillable.
      const early = await f.run(utc(2027, 4, 1) + 60_000)
      expect(failedOf(early, [a, b])).toEqual([])
      t.setNow(utc(2027, 4, 1) + 120_000)
      await f.billing.events.ingest({
        events: [
          {
            event_name: f.event,
            customer_id: b.customer,
            idempotency_key: `${f.ns}huge`,
            timestamp: utc(2027, 3, 31, 23),
            properties: { tokens: TOO_MANY_TOKENS },
          },
        ],
      })

      const settled = await f.run(utc(2027, 4, 2))
      expect(failedOf(settled, [a, b])).toEqual([
        {
          subscription_id: b.sub.id,
          customer_id: b.customer,
          period_start: iso(utc(2027, 3, 1)),
          period_end: iso(utc(2027, 4, 1)),
          code: 'AMOUNT_OVERFLOW',
          message: expect.any(String),
        },
      ])
      const [, march] = await f.invoicesOf(a.sub.id)
      expect(march).toMatchObject({ status: 'open', total: 1_000_000_000_000 })
      const [, marchB] = await f.invoicesOf(b.sub.id)
      expect(marchB).toMatchObject({ status: 'draft', total: 1_000_000_000_000 })
      expect(await lateEvent(f, a.customer, 'late-a', utc(2027, 3, 20))).toMatchObject({
        status: 'rejected',
        error: { code: 'PERIOD_CLOSED' },
      })
      expect(failedOf(await f.run(utc(2027, 4, 3)), [a, b])).toHaveLength(1)
    }, 120_000)

    it('isolates a plan stored before amounts were bounded whose fixed fee cannot be billed', async () => {
      const f = await billingFixture(t, 'legacy')
      const ok = await f.plan('ok', { name: 'Ok', currency: 'NGN', interval: 'month', fixed_amount: '5000' })
      const legacy = `${f.ns}legacy`
      await t.storage().plans.insert({
        ...(await f.billing.plans.get(ok)),
        code: legacy,
        fixed_amount: '1e308',
      })
      const good = await f.subscribe('good', ok, '2027-05-01')
      const bad = await f.subscribe('bad', legacy, '2027-05-01')
      const r = await f.run(utc(2027, 5, 1, 2))
      expect(failedOf(r, [good, bad])).toMatchObject([
        {
          subscription_id: bad.sub.id,
          period_start: iso(utc(2027, 5, 1)),
          period_end: iso(utc(2027, 5, 1)),
          code: 'AMOUNT_OVERFLOW',
        },
      ])
      expect(r.created.filter((i) => i.subscription_id === good.sub.id)).toMatchObject([
        { status: 'open', total: 5000 },
      ])
    }, 120_000)

    it("invoices the customer's other subscriptions while one of them fails", async () => {
      const f = await billingFixture(t, 'heldback')
      const tokens = await f.plan('tokens', {
        name: 'Tokens',
        currency: 'NGN',
        interval: 'month',
        charges: [{ meter: f.tokens, model: 'per_unit', unit_amount: TOKEN_PRICE }],
      })
      const calls = await f.perCallPlan('calls')
      const failing = await f.subscribe('x', tokens, '2027-06-01')
      const other = await f.billing.subscriptions.create({ customer_id: failing.customer, plan_code: calls })
      await f.use(failing.customer, utc(2027, 6, 10), 2, TOO_MANY_TOKENS)

      const both = [failing, { sub: other }]
      for (const day of [3, 4]) {
        const r = await f.run(utc(2027, 7, day))
        expect(failedOf(r, both).map((x) => x.subscription_id)).toEqual([failing.sub.id])
      }
      const [, june] = await f.invoicesOf(other.id)
      expect(june).toMatchObject({ status: 'open', total: 100, period_end: iso(utc(2027, 7, 1)) })
      expect(await f.invoicesOf(other.id)).toHaveLength(2)
    }, 120_000)
  })
}
