// Batch ingestion side by side with a raw driver: kobometer ingests 1,000-event batches while the
// raw driver inserts the same rows with one multi-row INSERT, each with its own key sequence, in
// alternating rounds. Shared by the PostgreSQL, MySQL and scale suites.
import type { Billing } from '../src/index.js'
import { measureThroughputs } from './harness.js'
import { rawRow, sequence } from './ingest-workload.js'

/** The rows per call on both sides. */
export const BATCH = 1000

/**
 * Throughputs of `billing.events.ingest` and of `insert` (handed the flat values of `BATCH` rows,
 * seven columns each, in `rawRow` order), in events/s.
 *
 * @example
 * const [kobometer, raw] = await measureBatchVsRaw(billing, (values) => pool.query(sql, values))
 */
export function measureBatchVsRaw(billing: Billing, insert: (values: unknown[]) => Promise<unknown>) {
  const [k, r] = [sequence(), sequence()]
  return measureThroughputs(
    [
      () => billing.events.ingest({ events: k.batch(BATCH) }),
      () => insert(r.batch(BATCH).flatMap((e) => rawRow(e, Date.now()))),
    ],
    { opsPerCall: BATCH, unit: 'events/s', minMs: 2000 },
  )
}
