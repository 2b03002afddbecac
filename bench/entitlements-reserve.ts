// `entitlements.reserve` followed by the ingest that settles it (an event naming `reservation_id`),
// timed as one call, against the same single-event ingest without a reservation on the same store.
import { join } from 'node:path'
import { postgresStorage } from '../src/adapters/postgres.js'
import { sqliteStorage } from '../src/adapters/sqlite.js'
import type { Billing, Storage } from '../src/index.js'
import { entitlementStore } from './entitlements-workload.js'
import { compare, measureLatencies, pickLatency, type Result } from './harness.js'
import { keyGenerator } from './idempotency-keys.js'
import { benchEvent, CUSTOMERS, sequence } from './ingest-workload.js'
import { freshSchema, PG_URL } from './pg-fixture.js'

/** Reserves 1,000 tokens for the next event's customer, then ingests that event to settle it. */
function reserveAndSettle(billing: Billing): () => Promise<void> {
  const nextKey = keyGenerator('uuidv7')
  let i = 0
  return async () => {
    const event = benchEvent(i++, nextKey(), Date.now())
    const r = await billing.entitlements.reserve({
      customer_id: event.customer_id,
      meter: 'tokens',
      quantity: 1000,
      idempotency_key: `rsv_${event.idempotency_key}`,
    })
    // A refused reservation or an unsettled event would time something else than the promise.
    if (r.id === null) throw new Error(`reserve refused: ${r.reason}`)
    const settled = await billing.events.ingest({ events: [{ ...event, reservation_id: r.id }] })
    if (settled.accepted !== 1)
      throw new Error(`settling ingest not accepted: ${JSON.stringify(settled.results)}`)
  }
}

async function reserveLatency(
  storage: Storage,
  label: string,
  iterations: number,
  log: (m: string) => void,
): Promise<Result[]> {
  const billing = await entitlementStore(storage, { limited: true, customers: CUSTOMERS, log })
  try {
    const plain = sequence()
    const [reserve, single] = await measureLatencies(
      [reserveAndSettle(billing), () => billing.events.ingest({ events: plain.batch(1) })],
      { iterations },
    )
    const row = (stat: 'p50' | 'p99') =>
      compare(
        `${label} reserve + settling ingest ${stat}, vs single-event ingest alone (same limits)`,
        pickLatency(reserve!, stat),
        pickLatency(single!, stat),
      )
    return [row('p50'), row('p99')]
  } finally {
    await billing.close()
  }
}

/**
 * The reserve case on a fresh SQLite store under `dir`.
 * @example const rows = await sqliteReserve(sub('reserve'), ctx.log)
 */
export function sqliteReserve(dir: string, log: (m: string) => void): Promise<Result[]> {
  return reserveLatency(sqliteStorage({ filename: join(dir, 'kobometer.db') }), 'sqlite', 5000, log)
}

/**
 * The reserve case on a fresh PostgreSQL schema (dropped afterwards).
 * @example const rows = await postgresReserve(ctx.log)
 */
export async function postgresReserve(log: (m: string) => void): Promise<Result[]> {
  const { schema, drop } = await freshSchema('reserve')
  try {
    // Fewer calls than on SQLite: each pair is two round trips to the server.
    const storage = postgresStorage({ connectionString: PG_URL }, { schema })
    return await reserveLatency(storage, 'postgres', 1000, log)
  } finally {
    await drop()
  }
}
