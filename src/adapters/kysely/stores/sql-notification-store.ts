import type {
  DeliveryClaim,
  DeliveryState,
  NotificationQuery,
  NotificationRecord,
  NotificationStore,
  Settlement,
} from '../../../core/ports/index.js'
import {
  addNotificationsScript,
  claimNotificationsScript,
  commitCursor,
  type UnseenCursor,
} from '../notification-scripts.js'
import type { Row } from '../sql-script.js'
import type { SqlStoreParts } from './sql-store-parts.js'

const intOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value)

const toDeliveryState = (row: Row): DeliveryState => ({
  notification_id: String(row.notification_id),
  destination: String(row.destination),
  status: String(row.status) as DeliveryState['status'],
  attempts: Number(row.attempts),
  next_attempt_at: intOrNull(row.next_attempt_at),
  last_error: row.last_error === null || row.last_error === undefined ? null : String(row.last_error),
})

/**
 * The SQL outbox: adds keep one row per key with the table's unique key; claims lease delivery rows
 * with a compare-and-set inside a write transaction, so concurrent claimers in any process never
 * hold one notification at once.
 *
 * @example
 * const claims = await new SqlNotificationStore(parts).claim('handler', Date.now(), 60_000, 10)
 */
export class SqlNotificationStore implements NotificationStore {
  readonly #parts: SqlStoreParts
  readonly #cursors = new Map<string, UnseenCursor>()

  constructor(parts: SqlStoreParts) {
    this.#parts = parts
  }

  add(records: readonly NotificationRecord[]): Promise<boolean[]> {
    const { sql } = this.#parts
    return this.#parts.runner.write(() => addNotificationsScript(sql, records))
  }

  list(query: NotificationQuery): Promise<NotificationRecord[]> {
    return this.#parts.ops.all<NotificationRecord>(this.#parts.sql.notifications.page(query))
  }

  async claim(destination: string, now: number, leaseMs: number, limit: number): Promise<DeliveryClaim[]> {
    const { sql } = this.#parts
    const cursor = this.#cursor(destination)
    const claims = await this.#parts.runner.write(() =>
      claimNotificationsScript(sql, destination, now, leaseMs, limit, cursor),
    )
    if (cursor !== null) commitCursor(cursor)
    return claims
  }

  // SQLite gives seqs in commit order: a destination's scan for unseen notifications can start
  // where the last one ended. Elsewhere it starts at the beginning (see `UnseenCursor`).
  #cursor(destination: string): UnseenCursor | null {
    if (this.#parts.sql.quirks.dialect !== 'sqlite') return null
    let cursor = this.#cursors.get(destination)
    if (cursor === undefined) {
      cursor = { seenThrough: 0 }
      this.#cursors.set(destination, cursor)
    }
    return cursor
  }

  async settle(destination: string, settlements: readonly Settlement[]): Promise<void> {
    if (settlements.length === 0) return
    const { sql } = this.#parts
    await this.#parts.runner.write(function* () {
      for (const { notification_id, outcome } of settlements)
        yield sql.notifications.settle(destination, notification_id, outcome)
    })
  }

  async redeliver(destination: string, now: number, ids?: readonly string[]): Promise<number> {
    if (ids !== undefined && ids.length === 0) return 0
    const op = this.#parts.sql.notifications.redeliver(destination, now, ids)
    return (await this.#parts.ops.write(op)).affected
  }

  async deliveries(notification_id: string): Promise<DeliveryState[]> {
    const { rows } = await this.#parts.runner.read(
      this.#parts.sql.notifications.deliveriesOf(notification_id),
    )
    return rows.map(toDeliveryState)
  }
}
