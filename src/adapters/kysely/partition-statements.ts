import type { DialectQuirks } from './dialect-quirks.js'
import { monthBounds } from './event-months.js'
import type { SqlOp } from './sql-script.js'

/**
 * The DDL of the events' monthly partitions, where the events are partitioned (null elsewhere).
 * Bounds are written in the text: PostgreSQL takes no parameters in DDL.
 *
 * @example
 * const partitions = new PartitionStatements(postgresQuirks('public'))
 * partitions.create('202701') // CREATE TABLE IF NOT EXISTS "public"."kobometer_events_p202701" PARTITION OF …
 */
export class PartitionStatements {
  readonly #q: DialectQuirks

  constructor(quirks: DialectQuirks) {
    this.#q = quirks
  }

  /** Takes the partition-creation lock until the transaction ends. */
  lock(): SqlOp | null {
    const partitioned = this.#q.partitionedEvents
    return partitioned === null ? null : { sql: partitioned.lockSql, params: [] }
  }

  /** Creates a month's partition (`'YYYYMM'`) unless it exists: `[first ms of the month, next month's)`. */
  create(month: string): SqlOp | null {
    const partitioned = this.#q.partitionedEvents
    if (partitioned === null) return null
    const { from, to } = monthBounds(month)
    return {
      sql:
        `CREATE TABLE IF NOT EXISTS ${partitioned.partition(month)} PARTITION OF ${this.#q.tables.events}` +
        ` FOR VALUES FROM (${from}) TO (${to})`,
      params: [],
    }
  }
}
