import { describe, expect } from 'vitest'
import { type ConformanceContext, SUITE_NOW } from './context.js'

/** events.list: complete, ordered, stable pages. */
export function listTests(t: ConformanceContext): void {
  const { it } = t
  describe('events.list', () => {
    it('pages one customer in timestamp order with no gaps or repeats, within [from, to)', async () => {
      const ns = t.unique('list')
      const b = t.billing()
      const times = Array.from({ length: 57 }, (_, i) => SUITE_NOW - 1_000_000 + ((i * 7919) % 50) * 1000)
      await b.events.ingest({
        events: times.flatMap((timestamp, i) => [
          {
            event_name: 'e',
            customer_id: `${ns}a`,
            idempotency_key: `${ns}a${i}`,
            timestamp,
            properties: { i },
          },
          { event_name: 'e', customer_id: `${ns}b`, idempotency_key: `${ns}b${i}`, timestamp },
        ]),
      })
      const seen: Array<{ i: unknown; t: string }> = []
      let page = await b.events.list({ customer_id: `${ns}a`, limit: 10 })
      for (;;) {
        seen.push(...page.data.map((e) => ({ i: e.properties.i, t: e.timestamp })))
        if (!page.next_cursor) break
        expect(page.has_more).toBe(true)
        page = await b.events.list({ customer_id: `${ns}a`, limit: 10, cursor: page.next_cursor })
      }
      expect(seen).toHaveLength(57)
      expect(new Set(seen.map((s) => s.i)).size).toBe(57)
      expect([...seen.map((s) => s.t)]).toEqual([...seen.map((s) => s.t)].sort())
      const from = SUITE_NOW - 1_000_000 + 10_000
      const to = SUITE_NOW - 1_000_000 + 20_000
      const windowed = await b.events.list({ customer_id: `${ns}a`, from, to, limit: 1000 })
      expect(windowed.data.length).toBe(times.filter((x) => x >= from && x < to).length)
      expect(windowed.next_cursor).toBeNull()
    })

    it('returns events as sent, with ISO timestamps', async () => {
      const ns = t.unique('shape')
      const b = t.billing()
      await b.events.ingest({
        events: [
          {
            event_name: 'api.call:v2',
            customer_id: `${ns}c`,
            idempotency_key: `${ns}k`,
            timestamp: SUITE_NOW - 1,
            properties: { model: 'large', n: 1.5, ok: true, none: null, naira: '₦' },
          },
        ],
      })
      const [e] = (await b.events.list({ customer_id: `${ns}c` })).data
      expect(e).toEqual({
        idempotency_key: `${ns}k`,
        customer_id: `${ns}c`,
        event_name: 'api.call:v2',
        timestamp: new Date(SUITE_NOW - 1).toISOString(),
        properties: { model: 'large', n: 1.5, ok: true, none: null, naira: '₦' },
        received_at: new Date(SUITE_NOW).toISOString(),
      })
    })

    it('refuses a forged cursor and a bad limit', async () => {
      await expect(t.billing().events.list({ customer_id: 'c', cursor: 'nope' })).rejects.toMatchObject({
        code: 'INVALID_CURSOR',
      })
      await expect(t.billing().events.list({ customer_id: 'c', limit: 0 })).rejects.toMatchObject({
        details: { path: 'limit' },
      })
    })
  })
}
