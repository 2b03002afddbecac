import type { DeliveryClaim, NotificationRecord, Outbox } from '../../core/ports/index.js'
import { UNSEEN_BATCH } from './notification-statements.js'
import type { SqlOp, SqlScript } from './sql-script.js'
import type { StatementSet } from './statement-set.js'

const int = (value: unknown): number => (typeof value === 'number' ? value : Number(value))

// The cursor position a claim reached, kept until its transaction commits.
const pendingCursor = new WeakMap<UnseenCursor, number>()

/**
 * Moves a cursor to where the last committed claim with it left its scan.
 *
 * @example
 * const claims = await runner.write(() => claimNotificationsScript(sql, d, now, ms, 10, cursor)); commitCursor(cursor)
 */
export function commitCursor(cursor: UnseenCursor): void {
  const reached = pendingCursor.get(cursor)
  if (reached !== undefined && reached > cursor.seenThrough) cursor.seenThrough = reached
  pendingCursor.delete(cursor)
}

/**
 * Stores each record unless its key is taken, in one transaction and in input order (the storage
 * order lists and delivery follow); answers per record.
 *
 * @example
 * const stored = yield* addNotificationsScript(statements, [record]) // [true]
 */
export function* addNotificationsScript(
  statements: StatementSet,
  records: readonly NotificationRecord[],
): SqlScript<boolean[]> {
  const stored: boolean[] = []
  for (const record of records) stored.push((yield statements.notifications.insert(record)).affected === 1)
  return stored
}

/**
 * Stores many outbox records, each unless its key is taken, in as few statements as the dialect
 * allows, in their order: for a change that reports many results at once.
 *
 * @example
 * yield* addNotificationsInBulkScript(statements, records)
 */
export function* addNotificationsInBulkScript(
  statements: StatementSet,
  records: readonly NotificationRecord[],
): SqlScript<void> {
  const step = statements.quirks.maxRowsPerStatement
  for (let i = 0; i < records.length; i += step)
    yield statements.notifications.insertMany(records.slice(i, i + step))
}

/**
 * Writes `records` of an outbox, if one is given, for `result`: what a change calls once it
 * happened, inside its own transaction, so a failure here rolls the change back.
 *
 * @example
 * yield* reportScript(statements, outbox, final)
 */
export function* reportScript<T>(
  statements: StatementSet,
  outbox: Outbox<T> | undefined,
  result: T,
): SqlScript<void> {
  if (outbox !== undefined) yield* addNotificationsScript(statements, outbox(result))
}

/**
 * One compare-and-set write and, when it changed its row, the outbox records it reports, in one
 * transaction: how a single-statement change reports itself.
 *
 * @example
 * const won = yield* writeReportedScript(statements, statements.payments.update(next), outbox, next)
 */
export function* writeReportedScript<T>(
  statements: StatementSet,
  op: SqlOp,
  outbox: Outbox<T>,
  result: T,
): SqlScript<boolean> {
  if ((yield op).affected !== 1) return false
  yield* reportScript(statements, outbox, result)
  return true
}

/**
 * Where a destination's scan for unseen notifications may start: every notification with a seq at
 * or below `seenThrough` has a delivery row there. Only kept where seqs are given in commit order
 * (SQLite's single writer); elsewhere a transaction may commit a lower seq after a higher one is
 * seen, so the scan starts at 0.
 */
export interface UnseenCursor {
  seenThrough: number
}

/**
 * The claim transaction. First every notification the destination has not seen gets a pending
 * delivery row (in storage order, so a customer's older notification always has its row before a
 * newer one), then due rows that pass the order check are leased one by one with a compare-and-set:
 * a row another claimer leased meanwhile changes nothing here and is left out. With a `cursor`,
 * the scan starts past `seenThrough` and moves it on.
 *
 * @example
 * const claims = yield* claimNotificationsScript(statements, 'handler', now, 60_000, 10)
 */
export function* claimNotificationsScript(
  statements: StatementSet,
  destination: string,
  now: number,
  leaseMs: number,
  limit: number,
  cursor: UnseenCursor | null = null,
): SqlScript<DeliveryClaim[]> {
  const sql = statements.notifications
  let after = cursor?.seenThrough ?? 0
  for (;;) {
    const { rows } = yield sql.unseen(destination, after)
    if (rows.length > 0) after = int(rows[rows.length - 1]!.seq)
    for (const row of rows)
      yield sql.insertDelivery(
        String(row.id),
        destination,
        row.customer_id === null || row.customer_id === undefined ? null : String(row.customer_id),
        int(row.seq),
      )
    if (rows.length < UNSEEN_BATCH) break
  }
  // Applied by the caller only once this transaction commits (a rollback keeps the old cursor).
  if (cursor !== null) pendingCursor.set(cursor, after)
  const { rows: due } = yield sql.due(destination, now, limit)
  const leased: Array<{ id: string; attempt: number }> = []
  for (const row of due) {
    const id = String(row.notification_id)
    if ((yield sql.lease(id, destination, now, now + leaseMs)).affected === 1)
      leased.push({ id, attempt: int(row.attempts) + 1 })
  }
  if (leased.length === 0) return []
  const { rows: docs } = yield sql.getDocs(leased.map((l) => l.id))
  const byId = new Map<string, NotificationRecord>()
  for (const row of docs) {
    const record = JSON.parse(String(row.doc)) as NotificationRecord
    byId.set(record.id, record)
  }
  return leased.map(({ id, attempt }) => ({ notification: byId.get(id)!, attempt }))
}
