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

    it('takes nanosecond timestamps, counts them in the hour of their truncated millisecond, and dedupes any spelling of it', async () => {
      const ns = t.unique('nanos')
      const b = t.billing()
      await b.meters.create({ code: `${ns}calls`, event_name: `${ns}call`, aggregation: 'count' })
      // SUITE_NOW is 2026-06-01T00:00:00Z: the last nanosecond of the hour before it, as Go's
      // json.Marshal writes a time.Time, must not round up into the next hour.
      const goTime = '2026-05-31T23:59:59.999999999Z'
      // Python: datetime(2026, 6, 1, 0, 59, 59, 999999, tzinfo=ZoneInfo('Africa/Lagos')).isoformat()
      const pyTime = '2026-06-01T00:59:59.999999+01:00'
      const r = await b.events.ingest({
        events: [event(ns, 'go', { timestamp: goTime }), event(ns, 'py', { timestamp: pyTime })],
      })
      expect(r.results.map((x) => x.status)).toEqual(['accepted', 'accepted'])
      const q = (from: number, to: number) =>
        b.usage.get({ customer_id: `${ns}cus`, meter: `${ns}calls`, from, to }).then((u) => u.quantity)
      expect(await q(SUITE_NOW - 3_600_000, SUITE_NOW)).toBe(2)
      expect(await q(SUITE_NOW - 1, SUITE_NOW)).toBe(2)
      expect(await q(SUITE_NOW, SUITE_NOW + 3_600_000)).toBe(0)
      const page = await b.events.list({ customer_id: `${ns}cus` })
      expect(page.data.map((e) => e.timestamp)).toEqual(Array(2).fill('2026-05-31T23:59:59.999Z'))
      // A retry written with 3 digits, or in another offset, names the same millisecond.
      const retry = await b.events.ingest({
        events: [
          event(ns, 'go', { timestamp: '2026-05-31T23:59:59.999Z' }),
          event(ns, 'py', { timestamp: '2026-05-31T23:59:59.9999+00:00' }),
          event(ns, 'go', { timestamp: '2026-06-01T00:00:00.000Z' }),
        ],
      })
      expect(retry.results.map((x) => x.status)).toEqual(['duplicate', 'duplicate', 'conflict'])
    })

    it('rejects a timestamp without an offset or beyond nanoseconds, saying what to fix', async () => {
      const ns = t.unique('naive')
      const r = await t.billing().events.ingest({
        events: [
          // Python: datetime(2026, 5, 31, 23, 0, 0, 123456).isoformat(), a naive datetime
          event(ns, 'a', { timestamp: '2026-05-31T23:00:00.123456' }),
          event(ns, 'b', { timestamp: '2026-05-31T23:00:00.1234567890Z' }),
        ],
      })
      expect(r.results.map((x) => [x.status, x.error?.code, x.error?.path])).toEqual([
        ['rejected', 'INVALID_TIMESTAMP', 'timestamp'],
        ['rejected', 'INVALID_TIMESTAMP', 'timestamp'],
      ])
      expect(r.results[0]?.error?.message).toContain('no UTC offset')
      expect(r.results[1]?.error?.message).toContain('at most 9 fractional digits')
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
