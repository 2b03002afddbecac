import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Billing, createBilling } from '../../src/index.js'
import { eventLog } from '../support/event-log.js'
import { memoryTarget, openStorage, sqlTargets } from '../support/targets.js'
import { batchArb, defects, shifty } from './malformed-events.js'

const NOW = Date.UTC(2026, 5, 1)

for (const target of [memoryTarget, ...sqlTargets]) {
  describe.skipIf(target.skip)(
    `bad input on ${target.name}${target.skip ? ` (skipped: ${target.skip})` : ''}`,
    () => {
      let billing: Billing
      let destroy: () => Promise<void>
      beforeAll(async () => {
        const store = await target.fresh()
        destroy = store.destroy
        billing = await createBilling({ storage: await openStorage(store.config), clock: () => NOW })
        await billing.meters.create({ code: 'calls', event_name: 'api_call', aggregation: 'count' })
        await billing.meters.create({
          code: 'tokens',
          event_name: 'api_call',
          aggregation: 'sum',
          property: 'tokens',
        })
      }, 120_000)
      afterAll(async () => {
        await billing?.close()
        await destroy?.()
      }, 120_000)

      it('rejects every malformed event with its code and path, accepts every valid one, counts only those', async () => {
        let run = 0
        const expected = new Map<string, { calls: number; tokens: number }>()
        const acceptedKeys = new Map<string, number>()
        const rejectedKeys = new Set<string>()
        await fc.assert(
          fc.asyncProperty(batchArb, async (items) => {
            run++
            const events = items.map((item, i) => {
              const valid = {
                event_name: 'api_call',
                customer_id: `cus_${item.customer}`,
                idempotency_key: `r${run}-${i}`,
                timestamp: NOW - 1000 - i,
                properties: { tokens: item.tokens },
              }
              if (item.defect !== null) return defects[item.defect]!.apply(valid, NOW)
              // A getter that answers a 100,000-character id after its first read: the value read
              // once is the one validated and stored.
              return item.shifty
                ? shifty(valid, 'customer_id', valid.customer_id, 'c'.repeat(100_000))
                : valid
            })
            items.forEach((item, i) => {
              if (item.defect !== null && defects[item.defect]!.hole) delete events[i]
            })
            const result = await billing.events.ingest({ events: events as never })
            items.forEach((item, i) => {
              const r = result.results[i]!
              expect(r.index).toBe(i)
              if (item.defect === null) {
                expect(r).toEqual({ index: i, idempotency_key: `r${run}-${i}`, status: 'accepted' })
                acceptedKeys.set(`r${run}-${i}`, item.tokens)
                const totals = expected.get(item.customer) ?? { calls: 0, tokens: 0 }
                expected.set(item.customer, { calls: totals.calls + 1, tokens: totals.tokens + item.tokens })
              } else {
                const d = defects[item.defect]!
                expect(r.status, `defect ${item.defect}`).toBe('rejected')
                expect(r.error?.code).toBe(d.code)
                expect(r.error?.path).toBe(d.path)
                expect(r.error?.message.length).toBeGreaterThan(0)
                rejectedKeys.add(`r${run}-${i}`)
              }
            })
            expect(result.accepted + result.rejected).toBe(items.length)
          }),
          { numRuns: 8, seed: 2026, endOnFailure: true },
        )
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
        // The oracle: the store holds exactly the accepted events, as sent, and usage equals that log.
        const stored = new Map<string, unknown>()
        for (const customer of ['a', 'b', 'c']) {
          for (const e of await eventLog(billing, `cus_${customer}`))
            stored.set(e.idempotency_key, e.properties.tokens)
        }
        expect(stored.size).toBe(acceptedKeys.size)
        for (const [key, tokens] of acceptedKeys) expect(stored.get(key)).toBe(tokens)
        for (const key of rejectedKeys) expect(stored.has(key)).toBe(false)
        for (const [customer, totals] of expected) {
          const q = { customer_id: `cus_${customer}`, from: 0, to: NOW }
          expect((await billing.usage.get({ ...q, meter: 'calls' })).quantity).toBe(totals.calls)
          expect((await billing.usage.get({ ...q, meter: 'tokens' })).quantity).toBe(totals.tokens)
        }
      }, 240_000)
    },
  )
}
