import { expect } from 'vitest'
import type { PreparedEvent } from '../../core/events/types.js'
import { compileMeterEffects } from '../../core/meters/meter-effects.js'
import type { Aggregation } from '../../core/meters/types.js'
import { Decimal } from '../../core/money/decimal.js'
import type { Storage, UsagePoint } from '../../core/ports/index.js'
import { event, HOUR, meter, T0 } from './port-fixtures.js'
import type { PortSuiteContext } from './port-suite.js'

const AGGREGATIONS: readonly Aggregation[] = ['count', 'sum', 'min', 'max', 'latest', 'unique_count']
const CUSTOMERS = 6
const HOURS = 5
const EVENTS = 60
const BATCHES = 6

/** Sixty `tokens` events over six customers and five hours from T0, with decimal, repeated values. */
function spreadEvents(ns: string): PreparedEvent[] {
  return Array.from({ length: EVENTS }, (_, i) => {
    const tokens = new Decimal((i * 37) % 23).dividedBy(10).toFixed()
    const at = T0 + ((i * 7) % HOURS) * HOUR + i * 1000
    return event(ns, `${ns}e${i}`, `${ns}c${i % CUSTOMERS}`, at, {
      properties: { tokens },
      properties_json: JSON.stringify({ tokens }),
    })
  })
}

/** Every aggregation's meter of the `tokens` events, created before they arrive. */
async function createMeters(storage: Storage, ns: string): Promise<Record<Aggregation, string>> {
  const codes = {} as Record<Aggregation, string>
  for (const aggregation of AGGREGATIONS) {
    const code = `${ns}${aggregation}`
    const base = meter(ns, code, aggregation === 'count' ? undefined : 'tokens')
    await storage.meters.insert({ ...base, aggregation }, compileMeterEffects)
    codes[aggregation] = code
  }
  return codes
}

/** Appends the events in concurrent batches; answers every outcome's status. */
async function appendConcurrently(storage: Storage, events: readonly PreparedEvent[]): Promise<string[]> {
  const size = Math.ceil(events.length / BATCHES)
  const batches = Array.from({ length: BATCHES }, (_, b) => events.slice(b * size, (b + 1) * size))
  const outcomes = await Promise.all(
    batches.map((batch) => storage.events.append(batch, compileMeterEffects)),
  )
  return outcomes.flat().map((outcome) => outcome.status)
}

/** One customer's quantity in each hour, straight from the events: how the meter defines it. */
function ownHours(aggregation: Aggregation, events: readonly PreparedEvent[]): Map<number, Decimal> {
  const hours = new Map<number, PreparedEvent[]>()
  for (const e of events) {
    const hour = e.timestamp - ((e.timestamp - T0) % HOUR)
    hours.set(hour, [...(hours.get(hour) ?? []), e])
  }
  const tokens = (e: PreparedEvent) => new Decimal(String(e.properties.tokens))
  const out = new Map<number, Decimal>()
  for (const [hour, own] of hours) {
    const values = own.map(tokens)
    const quantity = {
      count: () => new Decimal(own.length),
      sum: () => values.reduce((a, b) => a.plus(b), new Decimal(0)),
      min: () => Decimal.min(...values),
      max: () => Decimal.max(...values),
      latest: () => tokens(own.reduce((a, b) => (b.timestamp > a.timestamp ? b : a))),
      unique_count: () => new Decimal(new Set(values.map((v) => v.toFixed())).size),
    }[aggregation]
    out.set(hour, quantity())
  }
  return out
}

/** Customers' hourly quantities combined as the all-customer series combines them. */
function combine(aggregation: Aggregation, perCustomer: readonly Map<number, Decimal>[]): UsagePoint[] {
  const hours = new Map<number, Decimal>()
  for (const own of perCustomer) {
    for (const [hour, value] of own) {
      const kept = hours.get(hour)
      if (kept === undefined) hours.set(hour, value)
      else if (aggregation === 'min') hours.set(hour, Decimal.min(kept, value))
      else if (aggregation === 'max') hours.set(hour, Decimal.max(kept, value))
      else hours.set(hour, kept.plus(value))
    }
  }
  return [...hours]
    .sort(([a], [b]) => a - b)
    .map(([hour, quantity]) => ({ hour, quantity: quantity.toFixed() }))
}

const asHours = (points: readonly UsagePoint[]): Map<number, Decimal> =>
  new Map(points.map((p) => [p.hour, new Decimal(p.quantity)]))

/**
 * The all-customer `usageSeries` of every aggregation against its definition: the per-customer
 * quantities of each hour combined (summed; least/greatest for min/max), exactly, whether events
 * arrive in concurrent appends or are replayed.
 *
 * @example
 * registerUsageTotalsTests(ctx)
 */
export function registerUsageTotalsTests({ storage, unique, test }: PortSuiteContext): void {
  const window = { from: T0, to: T0 + HOURS * HOUR }

  /** Every aggregation's all-customer series equals its per-customer series and its events, combined. */
  async function expectTotals(ns: string, codes: Record<Aggregation, string>, events: PreparedEvent[]) {
    for (const aggregation of AGGREGATIONS) {
      const query = { meter: codes[aggregation], aggregation, ...window }
      const byCustomer = Array.from({ length: CUSTOMERS }, (_, c) => `${ns}c${c}`)
      const fromEvents = combine(
        aggregation,
        byCustomer.map((id) =>
          ownHours(
            aggregation,
            events.filter((e) => e.customer_id === id),
          ),
        ),
      )
      const perCustomer = await Promise.all(
        byCustomer.map(async (customer_id) =>
          asHours(await storage().meters.usageSeries({ ...query, customer_id })),
        ),
      )
      const all = await storage().meters.usageSeries(query)
      expect(all, aggregation).toEqual(fromEvents)
      expect(all, aggregation).toEqual(combine(aggregation, perCustomer))
    }
  }

  test(
    'meters.usage-series-totals',
    'usageSeries across customers: each hour combines every customer’s quantity exactly, appends concurrent',
    async () => {
      const ns = unique('tot')
      const codes = await createMeters(storage(), ns)
      const events = spreadEvents(ns)
      expect(new Set(await appendConcurrently(storage(), events))).toEqual(new Set(['accepted']))
      await expectTotals(ns, codes, events)
      // A later hour of one customer and a window that cuts the series.
      const late = event(ns, `${ns}late`, `${ns}c0`, T0 + 2 * HOUR + 1, {
        properties: { tokens: '0.05' },
        properties_json: '{"tokens":"0.05"}',
      })
      await storage().events.append([late], compileMeterEffects)
      await expectTotals(ns, codes, [...events, late])
      const cut = await storage().meters.usageSeries({
        meter: codes.sum,
        aggregation: 'sum',
        from: T0 + HOUR,
        to: T0 + 3 * HOUR,
      })
      expect(cut.map((p) => p.hour)).toEqual([T0 + HOUR, T0 + 2 * HOUR])
    },
  )

  test(
    'meters.usage-series-replays',
    'usageSeries across customers: replayed and conflicting events add nothing to the totals',
    async () => {
      const ns = unique('rep')
      const codes = await createMeters(storage(), ns)
      const events = spreadEvents(ns)
      await appendConcurrently(storage(), events)
      const replayed = await appendConcurrently(storage(), [...events].reverse())
      expect(new Set(replayed)).toEqual(new Set(['duplicate']))
      const changed = { ...events[0]!, payload_hash: 'h_other', properties: { tokens: '1000' } }
      const [conflict] = await storage().events.append([changed, events[1]!], compileMeterEffects)
      expect(conflict?.status).toBe('conflict')
      await expectTotals(ns, codes, events)
    },
  )
}
