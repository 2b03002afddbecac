import type { DialectQuirks } from './dialect-quirks.js'
import type { SqlOp } from './sql-script.js'

/**
 * The SQL of the deferred merge (see `DialectQuirks.deferredMerge`): the unmerged tail is every
 * event after the state row's `merged_seq`, and every row of the pending rollups table.
 *
 * @example
 * const merge = new MergeStatements(sqliteQuirks)
 * merge.tail().sql // 'SELECT (SELECT max(seq) FROM kobometer_events) AS last_seq, merged_seq, …'
 */
export class MergeStatements {
  readonly #q: DialectQuirks
  // Run by every append: the texts are built once, not per call.
  readonly #tailSql: string
  readonly #addPendingSql: string

  constructor(quirks: DialectQuirks) {
    this.#q = quirks
    const { events, state, pendingRollups } = quirks.tables
    this.#tailSql =
      `SELECT (SELECT max(seq) FROM ${events}) AS last_seq, merged_seq,` +
      ` (SELECT max(id) FROM ${pendingRollups}) - (SELECT min(id) FROM ${pendingRollups}) + 1 AS pending_rows` +
      ` FROM ${state} WHERE id = 1`
    this.#addPendingSql = `INSERT INTO ${pendingRollups} (deltas) VALUES (${quirks.placeholder(1)})`
  }

  /**
   * The last stored event's `seq` (null when none), the last merged one's, and how many appends'
   * pending rows wait (null when none; ids count up, and a slice takes the oldest, so the rows are
   * always the ids from the smallest to the largest). Two subqueries: each is one index seek.
   */
  tail(): SqlOp {
    return { sql: this.#tailSql, params: [] }
  }

  /** Adds the events in `(after, through]` to the customer index, in the index's own order. */
  indexEvents(after: number, through: number): SqlOp {
    const { events, eventOrder } = this.#q.tables
    const p = this.#q.placeholder
    return {
      sql:
        `INSERT INTO ${eventOrder} (customer_id, timestamp, seq) SELECT customer_id, timestamp, seq` +
        ` FROM ${events} WHERE seq > ${p(1)} AND seq <= ${p(2)} ORDER BY customer_id, timestamp, seq`,
      params: [after, through],
    }
  }

  setMerged(through: number): SqlOp {
    return {
      sql: `UPDATE ${this.#q.tables.state} SET merged_seq = ${this.#q.placeholder(1)} WHERE id = 1`,
      params: [through],
    }
  }

  /** Records one append's rollup deltas, encoded, until the next merge. */
  addPending(deltas: string): SqlOp {
    return { sql: this.#addPendingSql, params: [deltas] }
  }

  pending(): SqlOp {
    return { sql: `SELECT deltas FROM ${this.#q.tables.pendingRollups} ORDER BY id`, params: [] }
  }

  /** The oldest `limit` pending rows, with their ids: a slice of the merge. */
  pendingSlice(limit: number): SqlOp {
    const p = this.#q.placeholder
    return {
      sql: `SELECT id, deltas FROM ${this.#q.tables.pendingRollups} ORDER BY id LIMIT ${p(1)}`,
      params: [limit],
    }
  }

  /** Deletes the pending rows a slice folded: every id up to `id`. */
  clearPendingThrough(id: number): SqlOp {
    const p = this.#q.placeholder
    return { sql: `DELETE FROM ${this.#q.tables.pendingRollups} WHERE id <= ${p(1)}`, params: [id] }
  }

  clearPending(): SqlOp {
    return { sql: `DELETE FROM ${this.#q.tables.pendingRollups}`, params: [] }
  }
}
