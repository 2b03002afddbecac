// The ingest workloads of the ingest benches, run on a store whose plan has a `reject` limit on every
// event's meter (never reached) and on one whose plan has no limits, side by side in the same run:
// the ratio is what weighing each event against its allowances costs.
import { join } from 'node:path'
import { postgresStorage } from '../src/adapters/postgres.js'
import { sqliteStorage } from '../src/adapters/sqlite.js'
import type { Billing } from '../src/index.js'
import { batchesSideBySide, entitlementStore } from './entitlements-workload.js'
import { compare, measureConcurrent, measureLatencies, pickLatency, type Result } from './harness.js'
import { CUSTOMERS, sequence } from './ingest-workload.js'
import { freshSchema, PG_URL } from './pg-fixture.js'

const TARGET = { minRatio: 0.8 }

/** Two SQLite stores under `dir`: one limited, one not, with the same 1,000 subscribed customers. */
async function sqlitePair(dir: string, log: (m: string) => void): Promise<[Billing, Billing]> {
  const limited = await entitlementStore(sqliteStorage({ filename: join(dir, 'limited.db') }), {
    limited: true,
    customers: CUSTOMERS,
    log,
  })
  const open = await entitlementStore(sqliteStorage({ filename: join(dir, 'open.db') }), {
    limited: false,
    customers: CUSTOMERS,
    log,
  })
  return [limited, open]
}

/**
 * Batches of 1,000 events over 1,000 customers on SQLite, limited vs unlimited.
 * @example const rows = await limitedBatchIngest(sub('ingest-batch'), ctx.log)
 */
export async function limitedBatchIngest(dir: string, log: (m: string) => void): Promise<Result[]> {
  const [limited, open] = await sqlitePair(dir, log)
  try {
    return [
      await batchesSideBySide(
        'sqlite batch ingest (1,000/call, 2 meters), reject limit on both meters, vs no limits',
        [limited, open],
        TARGET,
      ),
    ]
  } finally {
    await limited.close()
    await open.close()
  }
}

/**
 * Single-event ingest latency on SQLite, limited vs unlimited.
 * @example const rows = await limitedSingleIngest(sub('ingest-single'), ctx.log)
 */
export async function limitedSingleIngest(dir: string, log: (m: string) => void): Promise<Result[]> {
  const [limited, open] = await sqlitePair(dir, log)
  try {
    const [l, o] = [sequence(), sequence()]
    const [withLimits, without] = await measureLatencies(
      [() => limited.events.ingest({ events: l.batch(1) }), () => open.events.ingest({ events: o.batch(1) })],
      { iterations: 20_000 },
    )
    const row = (stat: 'p50' | 'p99' | 'p999') =>
      compare(
        `sqlite single-event ingest ${stat}, reject limit on both meters, vs no limits`,
        pickLatency(withLimits!, stat),
        pickLatency(without!, stat),
        stat === 'p999' ? undefined : TARGET,
      )
    return [row('p50'), row('p99'), row('p999')]
  } finally {
    await limited.close()
    await open.close()
  }
}

/**
 * 200 concurrent single-event callers on PostgreSQL, limited vs unlimited (each in its own schema).
 * @example const rows = await limitedConcurrentIngest(ctx.log)
 */
export async function limitedConcurrentIngest(log: (m: string) => void): Promise<Result[]> {
  const schemas = [await freshSchema('limited'), await freshSchema('open')]
  const stores: Billing[] = []
  try {
    for (const [i, { schema }] of schemas.entries()) {
      const storage = postgresStorage({ connectionString: PG_URL }, { schema })
      stores.push(await entitlementStore(storage, { limited: i === 0, customers: CUSTOMERS, log }))
    }
    const [limited, open] = stores as [Billing, Billing]
    const [l, o] = [sequence(), sequence()]
    const [withLimits, without] = await measureConcurrent(
      [() => limited.events.ingest({ events: l.batch(1) }), () => open.events.ingest({ events: o.batch(1) })],
      { callers: 200, ms: 2000, unit: 'events/s' },
    )
    return [
      compare(
        'postgres 200 concurrent single-event callers, reject limit on both meters, vs no limits',
        withLimits!,
        without,
        TARGET,
      ),
    ]
  } finally {
    for (const s of stores) await s.close()
    for (const { drop } of schemas) await drop()
  }
}
