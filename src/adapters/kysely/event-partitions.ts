import { monthOf } from './event-months.js'
import type { AppendRequest } from './merged-requests.js'
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
 * stored, nothing is inserted) does not bring back the archived partition, unless the same batch
 * also brings an event of a month that has none.
 *
 * Creating a partition takes the events table's ACCESS EXCLUSIVE lock: it waits for the appends
 * in flight to end and holds back, for the moment it takes, those that reach the events table
 * meanwhile. It holds no lock an append holds or waits for; where an append in flight waits for a
 * key of one held back (batches over `maxRowsPerStatement` rows, whose later keys are inserted
 * after their first events), PostgreSQL's deadlock detector reorders the queue or fails one of
 * them with a deadlock, which the runner retries.
 *
 * @example
 * const outcomes = await appendCreatingPartitions(parts, requests, () => parts.runner.write(script))
 */
export function appendCreatingPartitions<R>(
  parts: SqlStoreParts,
  requests: readonly AppendRequest[],
  append: () => Promise<R>,
): Promise<R> {
  // Where events are not partitioned there is nothing to create: the append alone.
  if (parts.sql.quirks.partitionedEvents === null) return append()
  return appendThenCreate(parts, requests, append)
}

async function appendThenCreate<R>(
  parts: SqlStoreParts,
  requests: readonly AppendRequest[],
  append: () => Promise<R>,
): Promise<R> {
  const partitioned = parts.sql.quirks.partitionedEvents
  try {
    return await append()
  } catch (error) {
    if (partitioned === null || !partitioned.isMissingPartition(error)) throw error
  }
  // The requests' months, read only on this path: appends into existing months copy nothing.
  const months = new Set<string>()
  for (const request of requests) for (const event of request.events) months.add(monthOf(event.timestamp))
  await parts.runner.write(() => createPartitionsScript(parts.sql, [...months].sort()))
  return append()
}
