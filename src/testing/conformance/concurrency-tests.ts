import { describe, expect } from 'vitest'
import { type ConformanceContext, SUITE_NOW } from './context.js'
import { asSeparateRequests } from './separate-requests.js'

/** Concurrent calls in one process: each key stored once, rollups exact. */
export function concurrencyTests(t: ConformanceContext): void {
  const { it } = t
  describe('concurrent ingestion', () => {
    it('stores each key once and counts it once when concurrent calls overlap', async () => {
      const ns = t.unique('conc')
      const b = t.billing()
      await b.meters.create({ code: `${ns}calls`, event_name: `${ns}call`, aggregation: 'count' })
      await b.meters.create({
        code: `${ns}tokens`,
        event_name: `${ns}call`,
        aggregation: 'sum',
        property: 'tokens',
      })
      const make = (k: number) => ({
        event_name: `${ns}call`,
        customer_id: `${ns}c${k % 3}`,
        idempotency_key: `${ns}${k}`,
        timestamp: SUITE_NOW - 1000 - k,
        properties: { tokens: k },
      })
      // 40 callers, each sending keys [i*5, i*5+20): every key is sent by four callers at once.
      const calls = Array.from({ length: 40 }, (_, i) =>
        b.events.ingest({ events: Array.from({ length: 20 }, (_, j) => make(i * 5 + j)) }),
      )
      const results = await Promise.all(calls)
      const accepted = results.reduce((n, r) => n + r.accepted, 0)
      const distinct = 39 * 5 + 20
      expect(accepted).toBe(distinct)
      expect(results.reduce((n, r) => n + r.duplicates, 0)).toBe(40 * 20 - distinct)
      let calls_ = 0
      let tokens = 0
      for (const c of [0, 1, 2]) {
        const q = { customer_id: `${ns}c${c}`, from: 0, to: SUITE_NOW }
        calls_ += (await b.usage.get({ ...q, meter: `${ns}calls` })).quantity
        tokens += (await b.usage.get({ ...q, meter: `${ns}tokens` })).quantity
      }
      expect(calls_).toBe(distinct)
      expect(tokens).toBe((distinct * (distinct - 1)) / 2)
    })

    it('keeps each request its own outcomes when requests of one turn share a transaction', async () => {
      const ns = t.unique('turns')
      const b = t.billing()
      await b.meters.create({
        code: `${ns}tokens`,
        event_name: `${ns}call`,
        aggregation: 'sum',
        property: 'tokens',
      })
      const event = (k: number, tokens: number) => ({
        event_name: `${ns}call`,
        customer_id: `${ns}c${k % 2}`,
        idempotency_key: `${ns}${k}`,
        timestamp: SUITE_NOW - 1000 - k,
        properties: { tokens },
      })
      // Six turns of twelve requests, each from its own callback as a busy server's are: keys
      // 0-23 repeat across turns, and from the third turn on every fourth request changes the
      // payload of a key stored in an earlier turn (a conflict, whatever it is merged with).
      const statuses: string[] = []
      const expected: string[] = []
      const seen = new Set<number>()
      for (let turn = 0; turn < 6; turn++) {
        const sends = Array.from({ length: 12 }, (_, i) => {
          const k = (turn * 12 + i * 5) % 24
          const changed = turn >= 2 && i % 4 === 0 && seen.has(k)
          return { k, changed }
        })
        const thisTurn = new Set<number>()
        for (const { k, changed } of sends) {
          expected.push(changed ? 'conflict' : seen.has(k) || thisTurn.has(k) ? 'duplicate' : 'accepted')
          thisTurn.add(k)
        }
        for (const k of thisTurn) seen.add(k)
        const results = await asSeparateRequests(sends.length, (i) => {
          const { k, changed } = sends[i]!
          return b.events.ingest({ events: [event(k, changed ? k + 1 : k)] })
        })
        for (const r of results) statuses.push(r.results[0]!.status)
      }
      expect(statuses).toEqual(expected)
      let tokens = 0
      for (const c of [0, 1]) {
        const q = { customer_id: `${ns}c${c}`, from: 0, to: SUITE_NOW, meter: `${ns}tokens` }
        tokens += (await b.usage.get(q)).quantity
      }
      expect(tokens).toBe((23 * 24) / 2)
    })

    it('never loses or double-counts when a meter is created while events stream in', async () => {
      const ns = t.unique('meterrace')
      const b = t.billing()
      const batches = Array.from({ length: 20 }, (_, i) =>
        Array.from({ length: 50 }, (_, j) => ({
          event_name: `${ns}call`,
          customer_id: `${ns}c`,
          idempotency_key: `${ns}${i}-${j}`,
          timestamp: SUITE_NOW - 10_000,
        })),
      )
      const ingesting = Promise.all(batches.map((events) => b.events.ingest({ events })))
      const creating = b.meters.create({ code: `${ns}calls`, event_name: `${ns}call`, aggregation: 'count' })
      await Promise.all([ingesting, creating])
      const u = await b.usage.get({ customer_id: `${ns}c`, meter: `${ns}calls`, from: 0, to: SUITE_NOW })
      expect(u.quantity).toBe(1000)
    })
  })
}
