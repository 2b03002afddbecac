import type {
  DeliveryClaim,
  DeliveryOutcome,
  DeliveryState,
  NotificationQuery,
  NotificationRecord,
  NotificationStore,
} from '../../../core/ports/index.js'
import { addNotificationsScript, claimNotificationsScript } from '../notification-scripts.js'
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

  claim(destination: string, now: number, leaseMs: number, limit: number): Promise<DeliveryClaim[]> {
    const { sql } = this.#parts
    return this.#parts.runner.write(() => claimNotificationsScript(sql, destination, now, leaseMs, limit))
  }

  async settle(destination: string, notification_id: string, outcome: DeliveryOutcome): Promise<void> {
    await this.#parts.ops.write(this.#parts.sql.notifications.settle(destination, notification_id, outcome))
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
