import { describe, expect } from 'vitest'
import type { EventInput } from '../../core/events/types.js'
import { type ConformanceContext, SUITE_NOW, suiteEvent } from './context.js'

/** Ingestion: per-event outcomes, first write wins, batches that mix good and bad events. */
export function ingestTests(t: ConformanceContext): void {
  const { it } = t
  describe('events.ingest', () => {
    const event = (ns: string, key: string, extra: Partial<EventInput> = {}) =>
      suiteEvent(ns, key, extra, { tokens: 10, model: 'large' })

    it('accepts new events, answers duplicate for a replay, conflict for a changed payload', async () => {
      const ns = t.unique('dup')
      const first = await t.billing().events.ingest({ events: [event(ns, 'a'), event(ns, 'b')] })
      expect(first).toMatchObject({ accepted: 2, duplicates: 0, conflicts: 0, rejected: 0 })
      // No meter reads this test's event name.
      expect(first.warnings.map((w) => [w.index, w.code])).toEqual([
        [0, 'NO_METER_MATCHED'],
        [1, 'NO_METER_MATCHED'],
      ])
      const again = await t.billing().events.ingest({
        events: [event(ns, 'a'), event(ns, 'b', { properties: { tokens: 11, model: 'large' } })],
      })
      expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'conflict'])
      expect(again.results[1]?.error?.code).toBe('IDEMPOTENCY_CONFLICT')
      const page = await t.billing().events.list({ customer_id: `${ns}cus` })
      expect(page.data.map((e) => e.properties.tokens)).toEqual([10, 10])
    })

    it('warns NO_METER_MATCHED for each accepted event whose event_name no meter reads', async () => {
      const ns = t.unique('nometer')
      await t.billing().meters.create({
        code: `${ns}large`,
        event_name: `${ns}call`,
        aggregation: 'count',
        filters: { model: ['small'] },
      })
      const typo = event(ns, 'typo', { event_name: `${ns}cal` })
      const r = await t.billing().events.ingest({ events: [event(ns, 'a'), typo, event(ns, 'b'), typo] })
      // A meter for the name whose filters leave the event out is not a typo: no warning.
      expect(r.warnings).toEqual([
        {
          index: 1,
          code: 'NO_METER_MATCHED',
          message: expect.stringContaining('no meter reads this event_name'),
        },
      ])
      const replay = await t.billing().events.ingest({ events: [typo] })
      expect(replay.warnings).toEqual([])
    })

    it('compares payloads canonically: property order does not matter', async () => {
      const ns = t.unique('canon')
      await t.billing().events.ingest({ events: [event(ns, 'a', { properties: { a: 1, b: 'x' } })] })
      const r = await t
        .billing()
        .events.ingest({ events: [event(ns, 'a', { properties: { b: 'x', a: 1 } })] })
      expect(r.results[0]?.status).toBe('duplicate')
    })

    it('treats a retry of an event without a timestamp as a duplicate, even later', async () => {
      const ns = t.unique('notime')
      const { timestamp: _, ...noTime } = event(ns, 'a')
      await t.billing().events.ingest({ events: [noTime] })
      t.setNow(SUITE_NOW + 30_000)
      try {
        expect((await t.billing().events.ingest({ events: [noTime] })).results[0]?.status).toBe('duplicate')
      } finally {
        t.setNow(SUITE_NOW)
      }
    })

    it('accepts the same timestamp given as Date, ISO string and epoch milliseconds as one event', async () => {
      const ns = t.unique('timeforms')
      const ms = SUITE_NOW - 3_600_000
      const r = await t.billing().events.ingest({
        events: [
          event(ns, 'a', { timestamp: new Date(ms) }),
          event(ns, 'a', { timestamp: new Date(ms).toISOString() }),
          event(ns, 'a', { timestamp: ms }),
        ],
      })
      expect(r.results.map((x) => x.status)).toEqual(['accepted', 'duplicate', 'duplicate'])
    })

    it('resolves a key repeated inside one batch against the first occurrence', async () => {
      const ns = t.unique('inbatch')
      const r = await t.billing().events.ingest({
        events: [event(ns, 'a'), event(ns, 'a'), event(ns, 'a', { properties: { tokens: 99 } })],
      })
      expect(r.results.map((x) => x.status)).toEqual(['accepted', 'duplicate', 'conflict'])
      expect(r).toMatchObject({ accepted: 1, duplicates: 1, conflicts: 1 })
    })

    it('rejects bad events with a code and path, and keeps the rest of the batch', async () => {
      const ns = t.unique('bad')
      const r = await t.billing().events.ingest({
        events: [
          event(ns, 'ok1'),
          event(ns, 'future', { timestamp: SUITE_NOW + 301_000 }),
          { ...event(ns, 'nested'), properties: { deep: { x: 1 } } } as unknown as EventInput,
          event(ns, 'ok2'),
        ],
      })
      expect(r.results.map((x) => x.status)).toEqual(['accepted', 'rejected', 'rejected', 'accepted'])
      expect(r.results[1]?.error).toMatchObject({ code: 'TIMESTAMP_IN_FUTURE', path: 'timestamp' })
      expect(r.results[2]?.error).toMatchObject({ code: 'INVALID_PROPERTY_VALUE', path: 'properties.deep' })
      expect(r.results[2]?.idempotency_key).toBe(`${ns}nested`)
      expect(r).toMatchObject({ accepted: 2, rejected: 2 })
    })

    it('takes 10,000 events in one call and refuses 10,001 with BATCH_TOO_LARGE', async () => {
      const ns = t.unique('big')
      const events = Array.from({ length: 10_000 }, (_, i) =>
        event(ns, `k${i}`, { customer_id: `${ns}c${i % 50}` }),
      )
      expect((await t.billing().events.ingest({ events })).accepted).toBe(10_000)
      await expect(t.billing().events.ingest({ events: [...events, event(ns, 'x')] })).rejects.toMatchObject({
        code: 'BATCH_TOO_LARGE',
      })
    })

    it('throws ValidationError only for a malformed envelope', async () => {
      await expect(t.billing().events.ingest({} as never)).rejects.toMatchObject({ code: 'INVALID_BATCH' })
      await expect(t.billing().events.ingest(null as never)).rejects.toMatchObject({ code: 'INVALID_BATCH' })
      expect((await t.billing().events.ingest({ events: [] })).results).toEqual([])
    })
  })
}
