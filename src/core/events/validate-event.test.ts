import { describe, expect, it } from 'vitest'
import { prepareEvent } from './validate-event.js'

const NOW = Date.UTC(2026, 10, 30, 12)
const BASE = {
  event_name: 'api_call',
  customer_id: 'cus_1',
  idempotency_key: 'req_1',
  properties: { tokens: 5 },
}

const hashOf = (timestamp?: unknown) => {
  const r = prepareEvent(timestamp === undefined ? BASE : { ...BASE, timestamp }, NOW)
  if (!r.ok) throw new Error(r.error.message)
  return r.event.payload_hash
}

describe('prepareEvent: timestamps', () => {
  it('keeps the payload hashes of events stored before longer fractions were read', () => {
    // Stored rows hold these hashes: a replay must still be a duplicate.
    expect(hashOf()).toBe('yidx_lr6teaMF7v0QW_eqW69XZLpHsqVuGLq9pOJqws')
    expect(hashOf('2026-11-30T10:15:30.123Z')).toBe('59_CwpOP3g7EBh3Vjzh0wg1703jPFsrLFDykiSAQc3s')
    expect(hashOf('2026-11-30T10:15:30Z')).toBe('pAwNa8AtYSK-M25PuPQ91PlzPyvjnkdblXfXnlelA4w')
  })

  it('hashes every spelling of the same millisecond alike', () => {
    const hash = hashOf('2026-11-30T10:15:30.123Z')
    // Go: json.Marshal of a time.Time with nanoseconds; Python: isoformat() with microseconds.
    expect(hashOf('2026-11-30T10:15:30.123456789Z')).toBe(hash)
    expect(hashOf('2026-11-30T11:15:30.1234567+01:00')).toBe(hash)
    expect(hashOf('2026-11-30T10:15:30.123456+00:00')).toBe(hash)
    expect(hashOf(Date.UTC(2026, 10, 30, 10, 15, 30, 123))).toBe(hash)
    expect(hashOf('2026-11-30T10:15:30.124Z')).not.toBe(hash)
  })

  it.each([
    ['2026-11-30T10:15:30.123456', /no UTC offset/],
    ['2026-11-30T10:15:30.1234567890Z', /at most 9 fractional digits/],
    ['2026-11-30 10:15:30Z', /T between the date and the time/],
    ['2026-02-30T10:15:30Z', /ISO-8601 string with a zone/],
    ['2026-11-30T10:15:60Z', /ISO-8601 string with a zone/],
  ])('refuses %j with INVALID_TIMESTAMP at timestamp, saying why', (timestamp, message) => {
    const r = prepareEvent({ ...BASE, timestamp }, NOW)
    expect(r).toMatchObject({ ok: false, idempotency_key: 'req_1' })
    if (r.ok) return
    expect(r.error).toMatchObject({ code: 'INVALID_TIMESTAMP', path: 'timestamp' })
    expect(r.error.message).toMatch(message)
  })
})
