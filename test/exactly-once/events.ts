import type { EventInput } from '../../src/core/events/types.js'

/** 2026-01-01: every generated event lies in the past of any real clock these tests run under. */
export const BASE_TIME = Date.UTC(2026, 0, 1)
export const CUSTOMERS = 10

/** The i-th event of a run: deterministic, so any process can regenerate exactly what another sent. */
export function nthEvent(run: string, i: number): EventInput {
  return {
    event_name: `call_${run}`,
    customer_id: `${run}_cus_${i % CUSTOMERS}`,
    idempotency_key: `${run}-${i}`,
    timestamp: BASE_TIME + i * 37,
    properties: { tokens: (i % 97) + 1, model: i % 3 === 0 ? 'large' : 'small' },
  }
}

/** Expected totals of events [0, n): the count and the sum of tokens. */
export function expectedTotals(n: number): { count: number; tokens: number } {
  let tokens = 0
  for (let i = 0; i < n; i++) tokens += (i % 97) + 1
  return { count: n, tokens }
}
