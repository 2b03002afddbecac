import type { PreparedEvent } from '../../core/events/types.js'
import { monthOf } from './event-months.js'
import type { SqlScript } from './sql-script.js'
import type { StatementSet } from './statement-set.js'
import type { SqlStoreParts } from './stores/sql-store-parts.js'

/**
 * Creates the given months' event partitions that do not exist, under the partition-creation lock
 * (processes creating the same month take turns; the second finds it). Nothing where the events
 * are not partitioned.
 *
 * @example
 * await runner.write(() => createPartitionsScript(statements, ['202701', '202702']))
 */
export function* createPartitionsScript(
  statements: StatementSet,
  months: readonly string[],
): SqlScript<void> {
  const lock = statements.partitions.lock()
  if (lock === null) return
  yield lock
  for (const month of months) {
    const create = statements.partitions.create(month)
    if (create !== null) yield create
  }
}

/**
 * Runs an append; where it failed because an event's month has no partition yet, creates the
 * partitions of the events' months in a short transaction of its own and runs it once more.
 * Created on failure rather than checked before: appends whose months exist (all of them but the
 * first into a new month) pay nothing, and a replay of an archived month's event (its key is
 * stored, nothing is inserted) does not bring back the archived partition.
 *
 * The creation transaction holds no lock an append waits for while holding one it needs: it waits
 * for appends in flight on the events table, then briefly holds the appends that start meanwhile.
 *
 * @example
 * const outcomes = await appendCreatingPartitions(parts, events, () => parts.runner.write(script))
 */
export async function appendCreatingPartitions<R>(
  parts: SqlStoreParts,
  events: readonly PreparedEvent[],
  append: () => Promise<R>,
): Promise<R> {
  const partitioned = parts.sql.quirks.partitionedEvents
  try {
    return await append()
  } catch (error) {
    if (partitioned === null || !partitioned.isMissingPartition(error)) throw error
  }
  const months = [...new Set(events.map((event) => monthOf(event.timestamp)))].sort()
  await parts.runner.write(() => createPartitionsScript(parts.sql, months))
  return append()
}
