import { randomInt } from 'node:crypto'
import { RollupAccumulator } from '../../core/meters/rollup.js'
import type { RollupDelta } from '../../core/meters/types.js'
import type { MeterHourRow } from './meter-hour-statements.js'
import { chunks, type SqlScript } from './sql-script.js'
import type { StatementSet } from './statement-set.js'

/**
 * Folds aggregated rollup deltas (one per meter, customer and hour) into one row per meter and
 * hour, for the given shard, in (meter, hour) order: counts and sums added, the least minimum and
 * the greatest maximum kept, exactly. Deltas of `latest` and `unique_count` meters are left out:
 * a latest value or a set of distinct values does not add up across customers.
 *
 * @example
 * meterHourRows([{ ...emptyRollup(), meter: 'calls', customer_id: 'c_1', bucket: 0, count: 2 },
 *   { ...emptyRollup(), meter: 'calls', customer_id: 'c_2', bucket: 0, count: 1 }], 0)
 * // [['calls', 0, 0, 3, null, null, null]]
 */
export function meterHourRows(deltas: readonly RollupDelta[], shard: number): MeterHourRow[] {
  const byHour = new Map<string, { meter: string; bucket: number; acc: RollupAccumulator }>()
  for (const delta of deltas) {
    if (delta.latest !== null || delta.values !== null) continue
    const key = `${delta.meter}\u0000${delta.bucket}`
    let hour = byHour.get(key)
    if (hour === undefined) {
      hour = { meter: delta.meter, bucket: delta.bucket, acc: new RollupAccumulator() }
      byHour.set(key, hour)
    }
    hour.acc.add(delta)
  }
  return [...byHour.values()]
    .sort((a, b) => (a.meter !== b.meter ? (a.meter < b.meter ? -1 : 1) : a.bucket - b.bucket))
    .map(({ meter, bucket, acc }) => {
      const { count, sum, min, max } = acc.result()
      return [meter, bucket, shard, count, sum, min, max] as const
    })
}

/**
 * Adds aggregated rollup deltas to the hourly totals across customers, in the transaction that
 * writes the rollups, on the transaction's shard (`shard` modulo the shard count; random when not
 * given), in (meter, hour) order: every writer locks totals rows in the same order.
 *
 * @example
 * yield* writeMeterHours(statements, aggregateDeltas(deltas))
 */
export function* writeMeterHours(
  statements: StatementSet,
  merged: readonly RollupDelta[],
  shard: number = randomInt(1 << 16),
): SqlScript<void> {
  const rows = meterHourRows(merged, shard % statements.quirks.meterHourShards)
  for (const chunk of chunks(rows, statements.quirks.maxRowsPerStatement))
    yield statements.meterHours.upsert(chunk)
}
