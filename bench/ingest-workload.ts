import { createHash } from 'node:crypto'
import type { EventInput } from '../src/index.js'
import { type KeyKind, keyGenerator } from './idempotency-keys.js'

/** The benchmark workload: events of 1,000 customers, each with a token count and a model. */
export const CUSTOMERS = 1000

/** Makes event `i` of a run with the given idempotency key. */
export function benchEvent(i: number, key: string, timestamp: number): EventInput {
  return {
    event_name: 'api_call',
    customer_id: `cus_${(i * 7919) % CUSTOMERS}`,
    idempotency_key: key,
    timestamp,
    properties: { model: i % 3 === 0 ? 'large' : 'small', tokens: (i % 997) + 1 },
  }
}

/** The columns of `rawRow`, in its order: the raw baselines' INSERT column list. */
export const RAW_COLUMNS =
  '(idempotency_key, customer_id, event_name, timestamp, properties, payload_hash, received_at)'

/**
 * The raw PostgreSQL baseline's INSERT of `rows` rows of `rawRow` into `table`, skipping known keys.
 * @example await pool.query(pgRawInsert('raw_events', 1000), rows.flat())
 */
export function pgRawInsert(table: string, rows: number): string {
  const values = Array.from({ length: rows }, (_, i) => {
    const b = i * 7
    return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7})`
  }).join(', ')
  return `INSERT INTO ${table} ${RAW_COLUMNS} VALUES ${values} ON CONFLICT (idempotency_key) DO NOTHING`
}

/** The row the raw-driver baseline inserts for an event: what kobometer stores for it. */
export function rawRow(
  e: EventInput,
  receivedAt: number,
): [string, string, string, number, string, string, number] {
  const properties = JSON.stringify(e.properties)
  const hash = createHash('sha256')
    .update(`${e.event_name}\n${e.customer_id}\n${properties}`)
    .digest('base64url')
  return [e.idempotency_key, e.customer_id, e.event_name, e.timestamp as number, properties, hash, receivedAt]
}

/**
 * A stream of events with fresh idempotency keys of one kind (UUIDv7 unless told), so each
 * measured call ingests new events; kobometer and its baseline each draw from their own stream.
 * @example const events = sequence('uuidv4'); await billing.events.ingest({ events: events.batch(1000) })
 */
export function sequence(keys: KeyKind = 'uuidv7', timestamp: () => number = Date.now) {
  const nextKey = keyGenerator(keys)
  let next = 0
  return {
    batch(size: number): EventInput[] {
      const out: EventInput[] = new Array(size)
      for (let j = 0; j < size; j++) out[j] = benchEvent(next++, nextKey(), timestamp())
      return out
    },
  }
}

/** The two meters of the ingest benchmarks: a count and a sum. */
export const benchMeters = [
  { code: 'calls', event_name: 'api_call', aggregation: 'count' as const },
  { code: 'tokens', event_name: 'api_call', aggregation: 'sum' as const, property: 'tokens' },
]
