import { randomInt } from 'node:crypto'
import { aggregateDeltas } from '../../core/meters/rollup.js'
import type { RollupDelta } from '../../core/meters/types.js'
import { writeMeterHours } from './meter-hour-write.js'
import { shapeOf } from './rollup-shapes.js'
import type { RollupValueRow } from './rollup-statements.js'
import { chunks, type SqlScript } from './sql-script.js'
import type { StatementSet } from './statement-set.js'

/**
 * Folds per-event deltas into one per (meter, customer, bucket) in memory, then upserts them in
 * sorted key order, a chunk per statement, all into one rollup shard (`shard` modulo the dialect's
 * shard count; random when not given): every writer locks rollup rows in the same order, and
 * writers on other shards lock none of the same rows.
 * Unique-count values go to their own table, skipping those already recorded. Then the same deltas
 * are added to the hourly totals across customers (`writeMeterHours`), in the same transaction.
 *
 * @example
 * yield* writeDeltas(statements, deltas)
 */
export function* writeDeltas(
  statements: StatementSet,
  deltas: readonly RollupDelta[],
  shard: number = randomInt(1 << 16),
): SqlScript<void> {
  if (deltas.length === 0) return
  const merged = aggregateDeltas(deltas)
  const size = statements.quirks.maxRowsPerStatement
  const rollupShard = shard % statements.quirks.rollupShards
  // Runs of one shape (deltas are sorted by meter first, and a meter's deltas share a shape), each
  // written by a statement that touches only that shape's columns.
  let run: RollupDelta[] = []
  let shape = shapeOf(merged[0]!)
  for (const delta of merged) {
    const next = shapeOf(delta)
    if (next !== shape || run.length === size) {
      yield statements.rollups.upsert(run, shape, rollupShard)
      run = []
      shape = next
    }
    run.push(delta)
  }
  yield statements.rollups.upsert(run, shape, rollupShard)
  const values: RollupValueRow[] = []
  for (const delta of merged) {
    if (delta.values === null) continue
    for (const value of [...delta.values].sort())
      values.push([delta.meter, delta.customer_id, delta.bucket, value])
  }
  for (const chunk of chunks(values, size)) if (chunk.length > 0) yield statements.rollups.insertValues(chunk)
  yield* writeMeterHours(statements, merged, shard)
}
