import { expect } from 'vitest'
import { compileMeterEffects } from '../../core/meters/meter-effects.js'
import type { Aggregation } from '../../core/meters/types.js'
import type { Storage } from '../../core/ports/index.js'
import { event, HOUR, meter, T0 } from './port-fixtures.js'
import type { PortSuiteContext } from './port-suite.js'

const MINUTE = 60_000

/** Stores the events of every usage test: four customers' `tokens` over the first hours from T0. */
async function storeTokens(storage: Storage, ns: string): Promise<void> {
  const tokens = (key: string, customer: string, timestamp: number, n: number) =>
    event(ns, `${ns}${key}`, `${ns}${customer}`, timestamp, {
      properties: { tokens: n },
      properties_json: `{"tokens":${n}}`,
    })
  await storage.events.append(
    [
      tokens('a1', 'a', T0, 1.5),
      tokens('a2', 'a', T0 + 10 * MINUTE, 2),
      tokens('a3', 'a', T0 + HOUR, 4),
      tokens('b1', 'b', T0 + 5 * MINUTE, 0.25),
      tokens('b2', 'b', T0 + 3 * HOUR, 0.1),
      tokens('b3', 'b', T0 + 3 * HOUR + MINUTE, 0.2),
      tokens('d1', 'd', T0 + 2 * HOUR, 7.5),
      // Outside every window asked below.
      tokens('c1', 'c', T0 + 24 * HOUR, 100),
      tokens('c2', 'c', T0 - HOUR, 100),
    ],
    compileMeterEffects,
  )
}

async function meterOf(storage: Storage, ns: string, aggregation: Aggregation): Promise<string> {
  const code = `${ns}${aggregation}`
  const base = meter(ns, code, aggregation === 'count' ? undefined : 'tokens')
  await storage.meters.insert({ ...base, aggregation }, compileMeterEffects)
  return code
}

/**
 * The usage tests of `storage.meters`: `usageSeries` per hour for one customer or all, exact for
 * every aggregation; `topCustomers` by quantity then id.
 *
 * @example
 * registerUsageQueryTests(ctx)
 */
export function registerUsageQueryTests({ storage, unique, test }: PortSuiteContext): void {
  test(
    'meters.usage-series',
    'usageSeries: hours in order with exact quantities, one customer or all, within [from, to)',
    async () => {
      const ns = unique('use')
      await storeTokens(storage(), ns)
      const codes = {} as Record<Aggregation, string>
      for (const a of ['count', 'sum', 'min', 'max', 'latest', 'unique_count'] as const)
        codes[a] = await meterOf(storage(), ns, a)
      const series = (aggregation: Aggregation, customer?: string, from = T0, to = T0 + 4 * HOUR) =>
        storage().meters.usageSeries({
          meter: codes[aggregation],
          aggregation,
          ...(customer === undefined ? {} : { customer_id: `${ns}${customer}` }),
          from,
          to,
        })
      const at = (h: number, quantity: string) => ({ hour: T0 + h * HOUR, quantity })
      expect(await series('count')).toEqual([at(0, '3'), at(1, '1'), at(2, '1'), at(3, '2')])
      // Decimal sums are exact: 0.1 + 0.2 is 0.3.
      expect(await series('sum')).toEqual([at(0, '3.75'), at(1, '4'), at(2, '7.5'), at(3, '0.3')])
      expect(await series('sum', 'a')).toEqual([at(0, '3.5'), at(1, '4')])
      expect(await series('sum', 'b')).toEqual([at(0, '0.25'), at(3, '0.3')])
      expect(await series('min')).toEqual([at(0, '0.25'), at(1, '4'), at(2, '7.5'), at(3, '0.1')])
      expect(await series('max')).toEqual([at(0, '2'), at(1, '4'), at(2, '7.5'), at(3, '0.2')])
      // Each customer's latest value of the hour, summed: a's 2 (later than its 1.5) and b's 0.25.
      expect(await series('latest')).toEqual([at(0, '2.25'), at(1, '4'), at(2, '7.5'), at(3, '0.2')])
      expect(await series('unique_count')).toEqual([at(0, '3'), at(1, '1'), at(2, '1'), at(3, '2')])
      expect(await series('count', 'b', T0 + HOUR, T0 + 3 * HOUR)).toEqual([])
      expect(await series('count', undefined, T0 + HOUR, T0 + 3 * HOUR)).toEqual([at(1, '1'), at(2, '1')])
      expect(await series('count', 'nobody')).toEqual([])
    },
  )

  test(
    'meters.top-customers',
    'topCustomers: greatest quantity first, ties by customer id, at most `limit`, within [from, to)',
    async () => {
      const ns = unique('top')
      await storeTokens(storage(), ns)
      const count = await meterOf(storage(), ns, 'count')
      const sum = await meterOf(storage(), ns, 'sum')
      const top = (code: string, aggregation: 'count' | 'sum', limit: number, to = T0 + 4 * HOUR) =>
        storage().meters.topCustomers({ meter: code, aggregation, from: T0, to, limit })
      const row = (customer: string, quantity: string) => ({ customer_id: `${ns}${customer}`, quantity })
      expect(await top(count, 'count', 10)).toEqual([row('a', '3'), row('b', '3'), row('d', '1')])
      expect(await top(sum, 'sum', 10)).toEqual([row('a', '7.5'), row('d', '7.5'), row('b', '0.55')])
      expect(await top(sum, 'sum', 1)).toEqual([row('a', '7.5')])
      expect(await top(sum, 'sum', 10, T0 + 2 * HOUR)).toEqual([row('a', '7.5'), row('b', '0.25')])
      expect(await top(`${ns}none`, 'count', 10)).toEqual([])
    },
  )
}
