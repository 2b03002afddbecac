import type { RollupDelta } from '../../core/meters/types.js'
import { DeltaFold, encodeDeltas } from './delta-fold.js'
import { writeDeltas, writeMinuteDeltas } from './rollup-write.js'
import type { Row, SqlOp, SqlScript } from './sql-script.js'
import type { StatementSet } from './statement-set.js'
import type { SqlStoreParts } from './stores/sql-store-parts.js'

/** The unmerged tail: events after `merged` up to `last`, and the appends that recorded deltas. */
interface Tail {
  last: number
  merged: number
  appends: number
}

function* readTail(statements: StatementSet): SqlScript<Tail> {
  return tailOf((yield statements.merge.tail()).rows[0])
}

// The `tail()` row; none (no state row) is no tail.
const tailOf = (row: Row | undefined): Tail => ({
  last: Number(row?.last_seq ?? 0),
  merged: Number(row?.merged_seq ?? 0),
  appends: Number(row?.pending_rows ?? 0),
})

// No event waits for the customer index and no append's deltas for the rollups (a slice may have
// indexed every event and left pending rows, or the other way round).
const tailEmpty = (tail: Tail): boolean => tail.last <= tail.merged && tail.appends === 0

/**
 * The merge transaction's work: every event after the merged mark goes into the customer index in
 * (customer, time, seq) order, every pending delta (bucketed by minute) into the minute and hourly
 * rollups (folded first, so a busy minute or hour is one upsert), the mark moves to the last
 * event, the pending rows go. Answers whether there was a tail. Runs inside a write transaction:
 * an append's, a reader's, or an allowance opening's.
 *
 * @example
 * yield* mergeScript(statements) // true: the tail is merged, reads see every event
 */
export function* mergeScript(statements: StatementSet, known?: Tail): SqlScript<boolean> {
  const tail = known ?? (yield* readTail(statements))
  if (tailEmpty(tail)) return false
  yield* indexThrough(statements, tail.merged, tail.last)
  const { rows } = yield statements.merge.pending()
  if (rows.length > 0) yield* foldPending(statements, rows, statements.merge.clearPending())
  return true
}

/** Moves the events in `(merged, through]` into the customer index and the mark to `through`. */
function* indexThrough(statements: StatementSet, merged: number, through: number): SqlScript<void> {
  if (through <= merged) return
  yield statements.merge.indexEvents(merged, through)
  yield statements.merge.setMerged(through)
}

/** Folds pending rows into one delta per key, deletes them (`clear`), writes the deltas. */
function* foldPending(statements: StatementSet, rows: readonly Row[], clear: SqlOp): SqlScript<void> {
  const fold = new DeltaFold()
  for (const row of rows) fold.addEncoded(String(row.deltas))
  yield clear
  yield* writeMinuteDeltas(statements, fold.deltas())
}

/**
 * An append's rollup deltas where the merge is deferred: one pending row for the whole append,
 * then a merge when the unmerged tail has reached the dialect's bound in events, or a quarter of
 * it in appends (each pending row costs the merge a parse, so single-event appends merge more
 * often and no merge grows long) — once `stored` events went in, so the tail grew. A host that
 * yields between appends rarely gets there: slices of the merge run between its requests
 * (`mergeSliceScript`). Elsewhere the rollups are written at once.
 *
 * @example
 * yield* writeOrDeferDeltas(statements, deltas, accepted > 0)
 */
export function* writeOrDeferDeltas(
  statements: StatementSet,
  deltas: readonly RollupDelta[],
  stored: boolean,
  shard?: number,
): SqlScript<void> {
  const deferred = statements.quirks.deferredMerge
  if (deferred === null) return yield* writeDeltas(statements, deltas, shard)
  if (deltas.length > 0) yield statements.merge.addPending(encodeDeltas(deltas))
  if (!stored) return
  const tail = yield* readTail(statements)
  if (tail.last - tail.merged >= deferred.tailEvents || tail.appends * 4 >= deferred.tailEvents)
    yield* mergeScript(statements, tail)
}

/** What one background slice of the merge may take, and what makes a tail worth one. */
export interface MergeSlice {
  /** Pending rows at least, before a slice runs. */
  minRows: number
  /** Pending rows at most, folded by one slice. */
  maxRows: number
  /** Events indexed by one slice at most. */
  maxEvents: number
  /**
   * Events per pending row at most, on average over the tail: a tail of batches (many events per
   * append) is left to the append that reaches the bound, where one large sorted merge pays off.
   */
  maxEventsPerRow: number
}

/**
 * One slice of the merge, run between requests by a host that appends a few events at a time: the
 * oldest `maxRows` pending rows folded into the rollups, and the oldest `maxEvents` unindexed
 * events into the customer index, in one short transaction, so the tail never grows to the bound
 * and no append pays for a whole merge. Does nothing unless the tail holds `minRows` rows of small
 * appends. Answers whether another slice is due at once (the tail is still that long).
 *
 * @example
 * while (await runner.write(() => mergeSliceScript(statements, slice))) {}
 */
export function* mergeSliceScript(statements: StatementSet, slice: MergeSlice): SqlScript<boolean> {
  const tail = yield* readTail(statements)
  if (!sliceDue(tail, slice)) return false
  const through = Math.min(tail.last, tail.merged + slice.maxEvents)
  yield* indexThrough(statements, tail.merged, through)
  const { rows } = yield statements.merge.pendingSlice(slice.maxRows)
  const newest = rows[rows.length - 1]
  if (newest !== undefined)
    yield* foldPending(statements, rows, statements.merge.clearPendingThrough(Number(newest.id)))
  return sliceDue({ last: tail.last, merged: through, appends: tail.appends - rows.length }, slice)
}

const sliceDue = (tail: Tail, slice: MergeSlice): boolean =>
  tail.appends >= slice.minRows && tail.last - tail.merged <= tail.appends * slice.maxEventsPerRow

/**
 * Before a read of the customer index or the rollups, where the merge is deferred: merges the tail
 * if there is one, so the read sees every committed event. One cheap read when there is none.
 *
 * @example
 * await settleMerge(parts)
 * const { rows } = await parts.runner.read(parts.sql.events.edge(query))
 */
export async function settleMerge(parts: SqlStoreParts): Promise<void> {
  const { runner, sql } = parts
  if (sql.quirks.deferredMerge === null) return
  const tail = tailOf((await runner.read(sql.merge.tail())).rows[0])
  if (tailEmpty(tail)) return
  await runner.write(() => mergeScript(sql))
}

/** Inside a write transaction, before it reads the customer index or the rollups. */
export function* settleMergeScript(statements: StatementSet): SqlScript<void> {
  if (statements.quirks.deferredMerge !== null) yield* mergeScript(statements)
}
