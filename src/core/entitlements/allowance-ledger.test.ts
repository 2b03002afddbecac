import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { allowanceNotices, allowanceTotal } from '../alerts/allowance-notices.js'
import type { AlertMark } from '../alerts/types.js'
import type { RollupDelta } from '../meters/types.js'
import { Decimal } from '../money/decimal.js'
import type { AllowanceRecord, Refusal, ReservationRecord } from '../ports/index.js'
import { AllowanceLedger, type LedgerEvent } from './allowance-ledger.js'

const START = 1_767_225_600_000
const END = START + 31 * 86_400_000
const CUSTOMERS = ['cus_a', 'cus_b']
const METERS = ['calls', 'tokens']

const quantity = fc.oneof(
  fc.integer({ min: 0, max: 40 }).map(String),
  fc.constantFrom('0.5', '2.25', '1000000000000000', '0.000000000000000000000000000001'),
)

const allowanceArb = (customer_id: string, meter: string) =>
  fc
    .record({
      limit: fc.option(quantity, { nil: null }),
      granted: fc.constantFrom('0', '5', '0.5'),
      reserved: fc.constantFrom('0', '3', '0.25'),
      used: fc.constantFrom('0', '7', '1.5'),
      enforce: fc.boolean(),
      blocked: fc.constantFrom(null, null, null, 'paused' as const),
      alerts: fc.constantFrom<AlertMark[] | undefined>(undefined, [
        { id: 'al_1:0', alert_id: 'al_1', threshold: { quantity: '30' }, fired_at: null },
      ]),
    })
    .map(
      (a): AllowanceRecord => ({
        customer_id,
        meter,
        period_start: START,
        period_end: END,
        next_expiry: null,
        revision: 1,
        blocked_at: a.blocked === null ? null : START,
        exhausted_limit: null,
        ...a,
      }),
    )

const allowancesArb = fc.tuple(
  ...CUSTOMERS.flatMap((c) => METERS.map((m) => allowanceArb(c, m))),
) as fc.Arbitrary<AllowanceRecord[]>

const delta = (meter: string, customer_id: string, count: number, sum: string | null): RollupDelta => ({
  meter,
  customer_id,
  bucket: START,
  count,
  sum,
  min: null,
  max: null,
  latest: null,
  values: null,
})

type Step =
  | { kind: 'event'; customer: string; calls: number; tokens: string | null; enforce: boolean }
  | { kind: 'hold'; customer: string; meter: string; quantity: string }

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('event' as const),
      customer: fc.constantFrom(...CUSTOMERS),
      calls: fc.integer({ min: 0, max: 20 }),
      tokens: fc.option(quantity, { nil: null }),
      enforce: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('hold' as const),
      customer: fc.constantFrom(...CUSTOMERS),
      meter: fc.constantFrom(...METERS),
      quantity,
    }),
  },
)

const eventOf = (step: Extract<Step, { kind: 'event' }>, i: number): LedgerEvent => ({
  idempotency_key: `evt_${i}`,
  customer_id: step.customer,
  timestamp: START + i,
  deltas: [
    delta('calls', step.customer, step.calls, null),
    ...(step.tokens === null ? [] : [delta('tokens', step.customer, 1, step.tokens)]),
  ],
})

const reservationOf = (step: Extract<Step, { kind: 'hold' }>, i: number): ReservationRecord => ({
  id: `rsv_${i}`,
  idempotency_key: `rsv_key_${i}`,
  customer_id: step.customer,
  meter: step.meter,
  period_start: START,
  quantity: step.quantity,
  status: 'held',
  expires_at: END,
  created_at: START,
  settled_by: null,
  settled_quantity: null,
})

const deltaQuantity = (d: RollupDelta) => new Decimal(d.sum ?? d.count)

/** The rules written out one decimal at a time, every record updated as each event is weighed. */
class Reference {
  readonly changed = new Set<AllowanceRecord>()
  constructor(readonly allowances: AllowanceRecord[]) {}

  #of(customer: string, meter: string) {
    return this.allowances.find((a) => a.customer_id === customer && a.meter === meter)
  }

  admit(event: LedgerEvent, enforce: boolean): Refusal | null {
    if (enforce) {
      for (const d of event.deltas) {
        const a = this.#of(event.customer_id, d.meter)
        if (a === undefined || !a.enforce) continue
        if (a.blocked) return { code: 'SUBSCRIPTION_PAUSED', meter: a.meter }
        const q = deltaQuantity(d)
        const total = allowanceTotal(a)
        if (q.isZero() || total === null) continue
        if (new Decimal(a.used).plus(a.reserved).plus(q).greaterThan(total)) {
          return {
            code: 'QUOTA_EXCEEDED',
            meter: a.meter,
            limit: total.toFixed(),
            used: new Decimal(a.used).plus(a.reserved).toFixed(),
          }
        }
      }
    }
    for (const d of event.deltas) {
      const a = this.#of(event.customer_id, d.meter)
      if (a === undefined) continue
      a.used = new Decimal(a.used).plus(deltaQuantity(d)).toFixed()
      this.changed.add(a)
    }
    return null
  }

  hold(r: ReservationRecord): boolean {
    const a = this.#of(r.customer_id, r.meter)
    if (a === undefined || (a.enforce && a.blocked)) return false
    const total = allowanceTotal(a)
    const after = new Decimal(a.used).plus(a.reserved).plus(r.quantity)
    if (a.enforce && total !== null && after.greaterThan(total)) return false
    a.reserved = new Decimal(a.reserved).plus(r.quantity).toFixed()
    if (a.next_expiry === null || r.expires_at < a.next_expiry) a.next_expiry = r.expires_at
    this.changed.add(a)
    return true
  }

  notices(now: number) {
    return [...this.changed].flatMap((a) => allowanceNotices(a, now))
  }
}

/** An allowance of `cus_a`'s calls this period, unused. */
const callsAllowance = (limit: string, more: Partial<AllowanceRecord> = {}): AllowanceRecord => ({
  customer_id: 'cus_a',
  meter: 'calls',
  period_start: START,
  period_end: END,
  limit,
  enforce: true,
  granted: '0',
  used: '0',
  reserved: '0',
  next_expiry: null,
  revision: 1,
  ...more,
})

const callsEvent = (i: number, count: number) =>
  eventOf({ kind: 'event', customer: 'cus_a', calls: count, tokens: null, enforce: true }, i)

describe('AllowanceLedger', () => {
  it('weighs, holds and notifies exactly as the rules applied one decimal at a time', () => {
    fc.assert(
      fc.property(allowancesArb, fc.array(stepArb, { maxLength: 30 }), (allowances, steps) => {
        const ledger = new AllowanceLedger(structuredClone(allowances), [], START)
        const reference = new Reference(structuredClone(allowances))
        for (const [i, step] of steps.entries()) {
          if (step.kind === 'event') {
            const event = eventOf(step, i)
            expect(ledger.admit(event, step.enforce)).toEqual(reference.admit(event, step.enforce))
          } else {
            expect(ledger.hold(reservationOf(step, i))).toBe(reference.hold(reservationOf(step, i)))
          }
        }
        const notices = ledger.notices()
        expect(notices.map((n) => n.key)).toEqual(reference.notices(START).map((n) => n.key))
        const byKey = (list: Iterable<AllowanceRecord>) =>
          [...list].map((a) => `${a.customer_id}/${a.meter}`).sort()
        expect(byKey(ledger.changedAllowances)).toEqual(byKey(reference.changed))
        for (const a of ledger.changedAllowances) {
          const expected = reference.allowances.find(
            (r) => r.customer_id === a.customer_id && r.meter === a.meter,
          )
          expect(a).toEqual(expected)
        }
      }),
      { numRuns: 500 },
    )
  })

  it('answers the record with every weighed event counted whenever it hands one out', () => {
    const allowance = callsAllowance('10')
    const ledger = new AllowanceLedger([allowance], [], START)
    const event = callsEvent
    expect(ledger.admit(event(1, 4), true)).toBeNull()
    expect(ledger.allowanceAt('cus_a', 'calls', START)?.used).toBe('4')
    expect(ledger.admit(event(2, 5), true)).toBeNull()
    expect([...ledger.changedAllowances][0]?.used).toBe('9')
    expect(ledger.admit(event(3, 2), true)).toMatchObject({ code: 'QUOTA_EXCEEDED', used: '9', limit: '10' })
    expect(ledger.admit(event(4, 1), true)).toBeNull()
    expect(ledger.notices().map((n) => n.type)).toEqual(['entitlement.exhausted'])
    expect(allowance).toMatchObject({ used: '10', exhausted_limit: '10' })
  })

  it('fires an alert at exactly its percentage of the limit, and a quantity alert at exactly its quantity', () => {
    const allowance = callsAllowance('40', {
      enforce: false,
      alerts: [
        { id: 'al_1:0', alert_id: 'al_1', threshold: { percent: 50 }, fired_at: null },
        { id: 'al_1:1', alert_id: 'al_1', threshold: { quantity: 25 }, fired_at: null },
      ],
    })
    const ledger = new AllowanceLedger([allowance], [], START)
    const event = callsEvent
    ledger.admit(event(1, 19), true)
    expect(ledger.notices()).toEqual([])
    ledger.admit(event(2, 1), true)
    expect(ledger.notices().map((n) => n.key)).toEqual(['usage.threshold_reached:al_1:0:cus_a:1767225600000'])
    ledger.admit(event(3, 5), true)
    expect(ledger.notices().map((n) => n.key)).toEqual(['usage.threshold_reached:al_1:1:cus_a:1767225600000'])
  })
})
