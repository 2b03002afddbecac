import { randomInt } from 'node:crypto'
import { bucketOf, minuteOf } from '../../core/meters/buckets.js'
import { aggregateDeltas } from '../../core/meters/rollup.js'
import type { RollupDelta } from '../../core/meters/types.js'
import { writeMeterHours } from './meter-hour-write.js'
import { shapeOf } from './rollup-shapes.js'
import type { RollupStatements, RollupValueRow } from './rollup-statements.js'
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
  yield* upsertRollups(statements.rollups, merged, size, shard % statements.quirks.rollupShards)
  const values: RollupValueRow[] = []
  for (const delta of merged) {
    if (delta.values === null) continue
    for (const value of [...delta.values].sort())
      values.push([delta.meter, delta.customer_id, delta.bucket, value])
  }
  for (const chunk of chunks(values, size)) if (chunk.length > 0) yield statements.rollups.insertValues(chunk)
  yield* writeMeterHours(statements, merged, shard)
}

/**
 * Deltas bucketed by minute, where minute rollups are kept (the deferred merge, and a meter's
 * backfill there): upserted into the minute rollups, all but unique counts (their windows' edges
 * are read from events), then re-bucketed by hour and written as `writeDeltas` does.
 *
 * @example
 * yield* writeMinuteDeltas(statements, [{ ...delta, bucket: minuteOf(event.timestamp) }])
 */
export function* writeMinuteDeltas(
  statements: StatementSet,
  deltas: readonly RollupDelta[],
): SqlScript<void> {
  yield* writeMinuteRollups(statements, deltas)
  yield* writeDeltas(
    statements,
    deltas.map((delta) => ({ ...delta, bucket: bucketOf(delta.bucket) })),
  )
}

/**
 * Adds one event's deltas to `into`: re-bucketed to the event's minute where minute rollups are
 * kept (`byMinute`: what `writeMinuteDeltas` takes), else as they are (by hour).
 *
 * @example
 * collectDeltas(deltas, effects(event).deltas, event.timestamp, true)
 */
export function collectDeltas(
  into: RollupDelta[],
  deltas: readonly RollupDelta[],
  timestamp: number,
  byMinute: boolean,
): void {
  if (!byMinute) {
    for (const delta of deltas) into.push(delta)
    return
  }
  const minute = minuteOf(timestamp)
  for (const delta of deltas) into.push({ ...delta, bucket: minute })
}

/**
 * The minute rollups alone of deltas bucketed by minute (all but unique counts): what
 * `writeMinuteDeltas` writes besides the hours, and what filling them for stored events writes.
 *
 * @example
 * yield* writeMinuteRollups(statements, minuteDeltas)
 */
export function* writeMinuteRollups(
  statements: StatementSet,
  deltas: readonly RollupDelta[],
): SqlScript<void> {
  const minutes = aggregateDeltas(deltas.filter((delta) => delta.values === null))
  if (minutes.length > 0)
    yield* upsertRollups(statements.minuteRollups, minutes, statements.quirks.maxRowsPerStatement, 0)
}

// Runs of one shape (deltas are sorted by meter first, and a meter's deltas share a shape), each
// written by a statement that touches only that shape's columns.
function* upsertRollups(
  rollups: RollupStatements,
  merged: readonly RollupDelta[],
  size: number,
  shard: number,
): SqlScript<void> {
  let run: RollupDelta[] = []
  let shape = shapeOf(merged[0]!)
  for (const delta of merged) {
    const next = shapeOf(delta)
    if (next !== shape || run.length === size) {
      yield rollups.upsert(run, shape, shard)
      run = []
      shape = next
    }
    run.push(delta)
  }
  yield rollups.upsert(run, shape, shard)
}
