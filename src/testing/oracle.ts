import type { Aggregation } from '../core/meters/types.js'
import { Decimal } from '../core/money/decimal.js'

/** An event as the oracle sees it. */
export interface OracleEvent {
  idempotency_key: string
  customer_id: string
  event_name: string
  timestamp: number
  properties: Record<string, string | number | boolean | null>
}

/** A meter as the oracle sees it. */
export interface OracleMeter {
  event_name: string
  aggregation: Aggregation
  property?: string
  filters?: Record<string, string[]>
}

/**
 * The obviously-correct usage: scan every event. Conformance tests compare storages against it.
 *
 * @example
 * naiveUsage(events, { event_name: 'api_call', aggregation: 'count' }, 'cus_1', from, to) // '42'
 */
export function naiveUsage(
  events: readonly OracleEvent[],
  meter: OracleMeter,
  customer: string,
  from: number,
  to: number,
): string {
  const values: Decimal[] = []
  const uniques = new Set<string>()
  let count = 0
  let latest: { timestamp: number; key: string; value: Decimal } | null = null
  for (const e of events) {
    if (e.customer_id !== customer || e.event_name !== meter.event_name) continue
    if (e.timestamp < from || e.timestamp >= to) continue
    const passes = Object.entries(meter.filters ?? {}).every(([p, allowed]) => {
      const v = e.properties[p]
      return v !== undefined && v !== null && allowed.includes(String(v))
    })
    if (!passes) continue
    if (meter.aggregation === 'count') {
      count++
      continue
    }
    const raw = e.properties[meter.property ?? '']
    if (raw === undefined || raw === null) continue
    if (meter.aggregation === 'unique_count') {
      uniques.add(String(raw))
      continue
    }
    const numeric =
      typeof raw === 'number' || (typeof raw === 'string' && /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$/.test(raw))
        ? new Decimal(raw)
        : null
    if (numeric === null) continue
    values.push(numeric)
    const later =
      latest === null ||
      e.timestamp > latest.timestamp ||
      (e.timestamp === latest.timestamp && e.idempotency_key > latest.key)
    if (later) latest = { timestamp: e.timestamp, key: e.idempotency_key, value: numeric }
  }
  switch (meter.aggregation) {
    case 'count':
      return String(count)
    case 'unique_count':
      return String(uniques.size)
    case 'sum':
      return values.reduce((a, b) => a.plus(b), new Decimal(0)).toFixed()
    case 'min':
      return values.length ? Decimal.min(...values).toFixed() : '0'
    case 'max':
      return values.length ? Decimal.max(...values).toFixed() : '0'
    case 'latest':
      return latest ? latest.value.toFixed() : '0'
  }
}
