import type { Billing } from '../src/index.js'

/** One simulated customer: how many calls a day, and how many tokens a call. */
export interface TrafficProfile {
  customer_id: string
  callsPerDay: number
  tokensPerCall: number
}

/** What the simulation sent and what came back. */
export interface TrafficTotals {
  sent: number
  accepted: number
  duplicates: number
}

const HOUR = 3_600_000

// A deterministic pseudo-random sequence, so every run of the demo prints the same invoices.
function lcg(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

/**
 * Simulates `days` of API traffic from `start`, hour by hour: each hour's calls go in one batch,
 * and one batch in ten is sent twice (a client retry after a timeout), which kobometer answers
 * with `duplicate` and never counts. The clock moves with the traffic.
 *
 * @example
 * await simulateTraffic(billing, setNow, profiles, Date.UTC(2026, 11, 31, 23), 31)
 */
export async function simulateTraffic(
  billing: Billing,
  setNow: (ms: number) => void,
  profiles: readonly TrafficProfile[],
  start: number,
  days: number,
): Promise<TrafficTotals> {
  const random = lcg(2027)
  const totals: TrafficTotals = { sent: 0, accepted: 0, duplicates: 0 }
  for (let hour = 0; hour < days * 24; hour++) {
    const at = start + hour * HOUR
    setNow(at + HOUR)
    const events = []
    for (const p of profiles) {
      const calls = Math.round((p.callsPerDay / 24) * (0.5 + random()))
      for (let i = 0; i < calls; i++) {
        events.push({
          event_name: 'api_call',
          customer_id: p.customer_id,
          idempotency_key: `${p.customer_id}:${hour}:${i}`,
          timestamp: at + Math.floor((i * HOUR) / calls),
          properties: { tokens: Math.round(p.tokensPerCall * (0.5 + random())) },
        })
      }
    }
    const sends = random() < 0.1 ? 2 : 1
    for (let s = 0; s < sends; s++) {
      const r = await billing.events.ingest({ events })
      totals.sent += events.length
      totals.accepted += r.accepted
      totals.duplicates += r.duplicates
    }
  }
  return totals
}
