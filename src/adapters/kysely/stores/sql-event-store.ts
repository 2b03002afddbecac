import { randomInt } from 'node:crypto'
import type { PreparedEvent, StoredEvent } from '../../../core/events/types.js'
import type {
  AppendOutcome,
  EdgeQuery,
  EffectsOf,
  EventQuery,
  EventStore,
  PeriodClose,
} from '../../../core/ports/index.js'
import { appendScript } from '../append-script.js'
import { closePeriodsScript } from '../closed-periods.js'
import { InterruptedTransaction } from '../connection-failures.js'
import { settleMerge } from '../deferred-merge.js'
import { appendCreatingPartitions } from '../event-partitions.js'
import { GroupCommit, type GroupCommitOptions } from '../group-commit.js'
import type { MetersCache } from '../meters-cache.js'
import { toStoredEvent } from '../row-mappers.js'
import type { SqlStoreParts } from './sql-store-parts.js'

/**
 * The SQL event log: appends run the append script (a unique key on idempotency keys, rollups
 * upserted in the same transaction, the shared side of the meters lock), concurrent ones merged
 * into shared transactions (group commit); closing periods takes the exclusive side.
 *
 * @example
 * const events = new SqlEventStore(parts, meters, { groupCommit: { concurrency: 2 } })
 * const [outcome] = await events.append([prepared], effects)
 */
export class SqlEventStore implements EventStore {
  readonly #parts: SqlStoreParts
  readonly #group: GroupCommit

  constructor(parts: SqlStoreParts, meters: MetersCache, options: { groupCommit: GroupCommitOptions }) {
    this.#parts = parts
    // This process's first shard; its concurrent flushes take the next ones, so they never share
    // a rollup or totals row with each other, and another process's rarely.
    const shardBase = randomInt(1 << 16)
    this.#group = new GroupCommit(
      (requests, slot) =>
        appendCreatingPartitions(parts, requests, () =>
          parts.runner.write(() => appendScript(parts.sql, meters, requests, shardBase + slot)),
        ),
      (error) => !(error instanceof InterruptedTransaction),
      options.groupCommit,
    )
  }

  async append(events: readonly PreparedEvent[], effects: EffectsOf): Promise<AppendOutcome[]> {
    if (events.length === 0) return []
    return this.#group.append({ events, effects })
  }

  async list(query: EventQuery): Promise<StoredEvent[]> {
    await settleMerge(this.#parts)
    const { rows } = await this.#parts.runner.read(this.#parts.sql.events.page(query))
    return rows.map(toStoredEvent)
  }

  async readEdges(query: EdgeQuery): Promise<StoredEvent[]> {
    await settleMerge(this.#parts)
    const { rows } = await this.#parts.runner.read(this.#parts.sql.events.edge(query))
    return rows.map(toStoredEvent)
  }

  async closePeriods(closes: readonly PeriodClose[]): Promise<void> {
    if (closes.length === 0) return
    await this.#parts.runner.write(() => closePeriodsScript(this.#parts.sql, closes))
  }

  /** Resolves once every merged append in flight has settled (before closing the pool). */
  async idle(): Promise<void> {
    await this.#group.idle()
  }
}
