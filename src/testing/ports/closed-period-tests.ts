import { expect } from 'vitest'
import { compileMeterEffects } from '../../core/meters/meter-effects.js'
import { ACCEPTED_UNMETERED, event, HOUR, T0 } from './port-fixtures.js'
import type { PortSuiteContext } from './port-suite.js'

/**
 * The `storage.events.closePeriods` tests: marks only rise, a new event before the mark is refused,
 * stored keys stay duplicates, and closing waits for appends in flight. Part of
 * {@link eventStoreSuite}.
 *
 * @example
 * closedPeriodTests(ctx)
 */
export function closedPeriodTests({ storage, unique, test }: PortSuiteContext): void {
  test(
    'events.close-periods',
    'closePeriods: a new older event is closed, newer ones accepted, stored keys stay duplicates',
    async () => {
      const ns = unique('cls')
      const mark = T0 + 10 * HOUR
      const stored = event(ns, `${ns}stored`, `${ns}c`, T0 + HOUR)
      expect(await storage().events.append([stored], compileMeterEffects)).toEqual([ACCEPTED_UNMETERED])
      await storage().events.closePeriods([
        { customer_id: `${ns}c`, before: mark },
        { customer_id: `${ns}other`, before: T0 },
      ])
      // Never lowered.
      await storage().events.closePeriods([{ customer_id: `${ns}c`, before: T0 + 2 * HOUR }])

      const outcomes = await storage().events.append(
        [
          event(ns, `${ns}old`, `${ns}c`, T0 + 5 * HOUR),
          event(ns, `${ns}new`, `${ns}c`, mark),
          stored,
          event(ns, `${ns}free`, `${ns}free`, T0 + HOUR),
          event(ns, `${ns}later`, `${ns}other`, T0 + HOUR),
          event(ns, `${ns}early`, `${ns}other`, T0 - 1),
        ],
        compileMeterEffects,
      )
      expect(outcomes).toEqual([
        { status: 'closed', closed_before: mark },
        ACCEPTED_UNMETERED,
        { status: 'duplicate', stored_hash: `h_${ns}stored` },
        ACCEPTED_UNMETERED,
        ACCEPTED_UNMETERED,
        { status: 'closed', closed_before: T0 },
      ])
      expect(
        await storage().events.append([{ ...stored, payload_hash: 'different' }], compileMeterEffects),
      ).toEqual([{ status: 'conflict', stored_hash: `h_${ns}stored` }])
      const keys = (await storage().events.list({ customer_id: `${ns}c`, limit: 10 })).map(
        (e) => e.idempotency_key,
      )
      expect(keys).toEqual([`${ns}stored`, `${ns}new`])
      // Raising the mark again applies the new one.
      await storage().events.closePeriods([{ customer_id: `${ns}c`, before: mark + HOUR }])
      expect(
        await storage().events.append([event(ns, `${ns}new2`, `${ns}c`, mark)], compileMeterEffects),
      ).toEqual([{ status: 'closed', closed_before: mark + HOUR }])
    },
  )

  test(
    'events.close-periods-in-flight',
    'closePeriods waits for appends in flight: usage read afterwards is final',
    async () => {
      const ns = unique('cls')
      const mark = T0 + 10 * HOUR
      const appends = Array.from({ length: 40 }, (_, i) =>
        storage().events.append([event(ns, `${ns}flight_${i}`, `${ns}c`, T0 + HOUR)], compileMeterEffects),
      )
      await storage().events.closePeriods([{ customer_id: `${ns}c`, before: mark }])
      const storedAtClose = (await storage().events.list({ customer_id: `${ns}c`, limit: 100 })).length
      const outcomes = (await Promise.all(appends)).flat()
      const accepted = outcomes.filter((o) => o.status === 'accepted').length
      expect(accepted + outcomes.filter((o) => o.status === 'closed').length).toBe(40)
      expect(storedAtClose).toBe(accepted)
    },
  )
}
