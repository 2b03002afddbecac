import type { DeliveryOutcome, NotificationQuery, NotificationRecord } from '../../core/ports/index.js'
import { type ColumnSpec, type DialectQuirks, valuesRow } from './dialect-quirks.js'
import { Params } from './keyset-page.js'
import type { SqlOp } from './sql-script.js'

const NOTIFICATION_COLUMNS: readonly ColumnSpec[] = [
  { name: 'id', kind: 'text' },
  { name: 'notification_key', kind: 'text' },
  { name: 'type', kind: 'text' },
  { name: 'customer_id', kind: 'text' },
  { name: 'created_at', kind: 'int' },
  { name: 'doc', kind: 'text' },
]

/** Notifications a destination has no delivery row for yet, taken per claim in storage order. */
export const UNSEEN_BATCH = 500

/**
 * The SQL of the outbox: notifications as JSON documents in `seq` order, and one delivery row per
 * (notification, destination) with the columns a claim filters, orders and locks on.
 *
 * @example
 * const sql = new NotificationStatements(sqliteQuirks)
 * sql.deliveriesOf('ntf_1') // SELECT … FROM kobometer_notification_deliveries WHERE notification_id = ?
 */
export class NotificationStatements {
  readonly #q: DialectQuirks
  readonly #insert: string
  readonly #insertDelivery: string

  constructor(quirks: DialectQuirks) {
    this.#q = quirks
    const t = quirks.tables
    this.#insert = quirks.insertSkippingExisting(
      t.notifications,
      'id, notification_key, type, customer_id, created_at, doc',
      valuesRow(quirks, 6),
      'notification_key',
    )
    this.#insertDelivery = quirks.insertSkippingExisting(
      t.notificationDeliveries,
      'notification_id, destination, customer_id, seq, status, attempts',
      valuesRow(quirks, 6),
      'notification_id, destination',
    )
  }

  /** Inserts a notification unless its key is taken: the changed-row count (0 or 1) tells which. */
  insert(record: NotificationRecord): SqlOp {
    const { id, key, type, customer_id, created_at } = record
    return { sql: this.#insert, params: [id, key, type, customer_id, created_at, JSON.stringify(record)] }
  }

  /**
   * Inserts notifications (at most `maxRowsPerStatement`) in one statement, in their order, each
   * unless its key is taken.
   */
  insertMany(records: readonly NotificationRecord[]): SqlOp {
    const rows = records.map((r) => [r.id, r.key, r.type, r.customer_id, r.created_at, JSON.stringify(r)])
    const source = this.#q.rowSource(NOTIFICATION_COLUMNS, rows)
    const columns = NOTIFICATION_COLUMNS.map((c) => c.name).join(', ')
    const sql = this.#q.insertSkippingExisting(
      this.#q.tables.notifications,
      columns,
      source.sql,
      'notification_key',
    )
    return { sql, params: source.params }
  }

  /**
   * A page in `seq` order after the notification with id `after` (or in reverse, before it),
   * narrowed by type and customer.
   */
  page(query: NotificationQuery): SqlOp {
    const table = this.#q.tables.notifications
    const p = new Params(this.#q)
    const conditions: string[] = []
    if (query.type !== undefined) conditions.push(`type = ${p.bind(query.type)}`)
    if (query.customer_id !== undefined) conditions.push(`customer_id = ${p.bind(query.customer_id)}`)
    const [beyond, order] = query.newest_first === true ? ['<', ' DESC'] : ['>', '']
    if (query.after !== undefined)
      conditions.push(`seq ${beyond} (SELECT a.seq FROM ${table} a WHERE a.id = ${p.bind(query.after)})`)
    const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`
    return {
      sql: `SELECT doc FROM ${table}${where} ORDER BY seq${order} LIMIT ${p.bind(query.limit)}`,
      params: p.values,
    }
  }

  /** The oldest notifications with no delivery row at `destination`, at most {@link UNSEEN_BATCH}. */
  /** Notifications the destination has no delivery row for, in storage order, past `after` (a seq). */
  unseen(destination: string, after = 0): SqlOp {
    const t = this.#q.tables
    const p = this.#q.placeholder
    return {
      sql:
        `SELECT n.id, n.customer_id, n.seq FROM ${t.notifications} n WHERE n.seq > ${p(1)} AND NOT EXISTS ` +
        `(SELECT 1 FROM ${t.notificationDeliveries} d WHERE d.notification_id = n.id AND d.destination = ${p(2)}) ` +
        `ORDER BY n.seq LIMIT ${p(3)}`,
      params: [after, destination, UNSEEN_BATCH],
    }
  }

  /** A pending delivery row with no attempt yet; skipped when one exists. */
  insertDelivery(notificationId: string, destination: string, customerId: string | null, seq: number): SqlOp {
    return {
      sql: this.#insertDelivery,
      params: [notificationId, destination, customerId, seq, 'pending', 0],
    }
  }

  /**
   * Deliveries at `destination` due at `now` and not leased, oldest first, whose customer has no
   * older delivery there that is not `delivered` (pending, leased or parked): order per customer.
   */
  due(destination: string, now: number, limit: number): SqlOp {
    const t = this.#q.tables
    const p = this.#q.placeholder
    return {
      sql:
        `SELECT d.notification_id, d.attempts FROM ${t.notificationDeliveries} d ` +
        `WHERE d.destination = ${p(1)} AND d.status = 'pending' ` +
        `AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= ${p(2)}) ` +
        `AND (d.lease_until IS NULL OR d.lease_until <= ${p(3)}) ` +
        `AND NOT EXISTS (SELECT 1 FROM ${t.notificationDeliveries} o WHERE o.destination = ${p(4)} ` +
        `AND o.customer_id = d.customer_id AND o.status IN ('pending', 'failed') AND o.seq < d.seq) ` +
        `ORDER BY d.seq LIMIT ${p(5)}`,
      params: [destination, now, now, destination, limit],
    }
  }

  /**
   * Leases one delivery if it is still pending and unleased (a compare-and-set: of concurrent
   * claimers exactly one changes the row), counting the attempt.
   */
  lease(notificationId: string, destination: string, now: number, until: number): SqlOp {
    const p = this.#q.placeholder
    return {
      sql:
        `UPDATE ${this.#q.tables.notificationDeliveries} SET lease_until = ${p(1)}, attempts = attempts + 1 ` +
        `WHERE notification_id = ${p(2)} AND destination = ${p(3)} AND status = 'pending' ` +
        `AND (lease_until IS NULL OR lease_until <= ${p(4)})`,
      params: [until, notificationId, destination, now],
    }
  }

  getDocs(ids: readonly string[]): SqlOp {
    const inList = this.#q.textIn('id', ids)
    return {
      sql: `SELECT doc FROM ${this.#q.tables.notifications} WHERE ${inList.sql}`,
      params: inList.params,
    }
  }

  /**
   * Ends the lease with the outcome. A failure never overwrites `delivered` (another process may
   * have delivered after this one's lease ran out).
   */
  settle(destination: string, notificationId: string, outcome: DeliveryOutcome): SqlOp {
    const p = this.#q.placeholder
    const table = this.#q.tables.notificationDeliveries
    if (outcome.delivered)
      return {
        sql:
          `UPDATE ${table} SET status = 'delivered', lease_until = NULL, next_attempt_at = NULL, last_error = NULL ` +
          `WHERE notification_id = ${p(1)} AND destination = ${p(2)}`,
        params: [notificationId, destination],
      }
    return {
      sql:
        `UPDATE ${table} SET status = ${p(1)}, lease_until = NULL, next_attempt_at = ${p(2)}, last_error = ${p(3)} ` +
        `WHERE notification_id = ${p(4)} AND destination = ${p(5)} AND status = 'pending'`,
      params: [
        outcome.retry_at === null ? 'failed' : 'pending',
        outcome.retry_at,
        outcome.error,
        notificationId,
        destination,
      ],
    }
  }

  /** Parked deliveries back to pending, due at `now`, with their attempts counted afresh. */
  redeliver(destination: string, now: number, ids?: readonly string[]): SqlOp {
    const p = new Params(this.#q)
    let sql =
      `UPDATE ${this.#q.tables.notificationDeliveries} SET status = 'pending', attempts = 0, ` +
      `next_attempt_at = ${p.bind(now)}, lease_until = NULL WHERE destination = ${p.bind(destination)} ` +
      `AND status = 'failed'`
    if (ids !== undefined) sql += ` AND notification_id IN (${ids.map((id) => p.bind(id)).join(', ')})`
    return { sql, params: p.values }
  }

  deliveriesOf(notificationId: string): SqlOp {
    return {
      sql:
        'SELECT notification_id, destination, status, attempts, next_attempt_at, last_error ' +
        `FROM ${this.#q.tables.notificationDeliveries} WHERE notification_id = ${this.#q.placeholder(1)} ` +
        'ORDER BY destination',
      params: [notificationId],
    }
  }
}
