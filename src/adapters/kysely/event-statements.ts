import type { PreparedEvent } from '../../core/events/types.js'
import type { EdgeQuery, EventQuery } from '../../core/ports/index.js'
import type { ColumnSpec, DialectQuirks } from './dialect-quirks.js'
import type { SqlOp } from './sql-script.js'

const STORED_COLUMNS: readonly ColumnSpec[] = [
  { name: 'idempotency_key', kind: 'text' },
  { name: 'customer_id', kind: 'text' },
  { name: 'event_name', kind: 'text' },
  { name: 'timestamp', kind: 'int' },
  { name: 'properties', kind: 'text' },
  { name: 'payload_hash', kind: 'text' },
  { name: 'received_at', kind: 'int' },
]
const KEY_COLUMNS: readonly ColumnSpec[] = [
  { name: 'idempotency_key', kind: 'text' },
  { name: 'payload_hash', kind: 'text' },
]
// An event's values in `STORED_COLUMNS` order.
const storedValues = (e: PreparedEvent): unknown[] => [
  e.idempotency_key,
  e.customer_id,
  e.event_name,
  e.timestamp,
  e.properties_json,
  e.payload_hash,
  e.received_at,
]
const BATCH_TOKEN: ColumnSpec = { name: 'batch_token', kind: 'int' }
const READ_COLUMNS = 'seq, idempotency_key, customer_id, event_name, timestamp, properties, received_at'
const JOINED_COLUMNS = READ_COLUMNS.split(', ')
  .map((column) => `e.${column}`)
  .join(', ')

/**
 * The SQL of the events table, in one dialect. Reads go by the (customer_id, timestamp, seq) index
 * (where the merge is deferred, the merged customer index table, joined to the events by `seq`);
 * the backfill scan walks the primary key. Where the events are partitioned, keys go to their own
 * table first (`insertKeys`) and the events whose key went in follow (`insertLog`).
 *
 * @example
 * const events = new EventStatements(sqliteQuirks)
 * const op = events.insert(batch, null) // INSERT … ON CONFLICT (idempotency_key) DO NOTHING RETURNING …
 */
export class EventStatements {
  readonly #q: DialectQuirks
  readonly #columns: readonly ColumnSpec[]
  readonly #columnList: string
  readonly #insertOneSql: string
  readonly #insertSql = new Map<string, string>()

  constructor(quirks: DialectQuirks) {
    this.#q = quirks
    this.#columns = quirks.insertedRows === 'batch-token' ? [...STORED_COLUMNS, BATCH_TOKEN] : STORED_COLUMNS
    this.#columnList = this.#columns.map((c) => c.name).join(', ')
    const one = quirks.rowSource(STORED_COLUMNS, [STORED_COLUMNS.map(() => null)]).sql
    const names = STORED_COLUMNS.map((c) => c.name).join(', ')
    this.#insertOneSql = quirks.insertSkippingExisting(quirks.tables.events, names, one, 'idempotency_key')
  }

  /**
   * Inserts events, skipping keys already stored; how the inserted ones are told apart depends on
   * `quirks.insertedRows` (`token` stamps this transaction's rows where there is no `RETURNING`).
   */
  insert(events: readonly PreparedEvent[], token: number | null): SqlOp {
    const withToken = this.#q.insertedRows === 'batch-token'
    const rows = events.map((e) => {
      const row = storedValues(e)
      if (withToken) row.push(token)
      return row
    })
    const source = this.#q.rowSource(this.#columns, rows)
    let sql = this.#insertSql.get(source.sql)
    if (sql === undefined) {
      const { tables, insertedRows } = this.#q
      const insert = this.#q.insertSkippingExisting(
        tables.events,
        this.#columnList,
        source.sql,
        'idempotency_key',
      )
      sql = insertedRows === 'returning' ? `${insert} RETURNING idempotency_key` : insert
      this.#insertSql.set(source.sql, sql)
    }
    return { sql, params: source.params }
  }

  /**
   * Where the events are partitioned: stores the events' keys and payload hashes, skipping stored
   * keys, and returns the keys that went in.
   */
  insertKeys(events: readonly PreparedEvent[]): SqlOp {
    const source = this.#q.rowSource(
      KEY_COLUMNS,
      events.map((e) => [e.idempotency_key, e.payload_hash]),
    )
    const insert = this.#q.insertSkippingExisting(
      this.#q.tables.eventKeys,
      'idempotency_key, payload_hash',
      source.sql,
      'idempotency_key',
    )
    return { sql: `${insert} RETURNING idempotency_key`, params: source.params }
  }

  /** Where the events are partitioned: stores events whose keys `insertKeys` just stored. */
  insertLog(events: readonly PreparedEvent[]): SqlOp {
    const source = this.#q.rowSource(STORED_COLUMNS, events.map(storedValues))
    const names = STORED_COLUMNS.map((c) => c.name).join(', ')
    return { sql: `INSERT INTO ${this.#q.tables.events} (${names}) ${source.sql}`, params: source.params }
  }

  /** Inserts one event, skipping it if its key is stored: the changed-row count tells which. */
  insertOne(e: PreparedEvent): SqlOp {
    return {
      sql: this.#insertOneSql,
      params: storedValues(e),
    }
  }

  /**
   * The stored payload hash (and batch token, where rows carry one) of each given key that exists:
   * from the keys table where the events are partitioned (it keeps archived events' keys too).
   */
  storedHashes(keys: readonly string[]): SqlOp {
    const where = this.#q.textIn('idempotency_key', keys)
    const token = this.#q.insertedRows === 'batch-token' ? ', batch_token' : ''
    const { tables, partitionedEvents } = this.#q
    const table = partitionedEvents === null ? tables.events : tables.eventKeys
    return {
      sql: `SELECT idempotency_key, payload_hash${token} FROM ${table} WHERE ${where.sql}`,
      params: where.params,
    }
  }

  /** Events of one name after a `seq`, in `seq` order: the meter backfill's scan. */
  scanByName(eventName: string, afterSeq: number, limit: number): SqlOp {
    const p = this.#q.placeholder
    return {
      sql: `SELECT ${READ_COLUMNS} FROM ${this.#q.tables.events} WHERE seq > ${p(1)} AND event_name = ${p(2)} ORDER BY seq LIMIT ${p(3)}`,
      params: [afterSeq, eventName, limit],
    }
  }

  /** One customer's events of one name in `[from, to)`, in (timestamp, seq) order. */
  edge(query: EdgeQuery): SqlOp {
    const p = this.#q.placeholder
    const { from, o } = this.#byCustomer()
    return {
      sql:
        `${from} WHERE ${o}customer_id = ${p(1)} AND ${o}timestamp >= ${p(2)}` +
        ` AND ${o}timestamp < ${p(3)} AND event_name = ${p(4)} ORDER BY ${o}timestamp, ${o}seq`,
      params: [query.customer_id, query.from, query.to, query.event_name],
    }
  }

  /** A page of one customer's events after a (timestamp, seq) position. */
  page(query: EventQuery): SqlOp {
    const p = this.#q.placeholder
    const { from, o } = this.#byCustomer()
    const params: unknown[] = [query.customer_id]
    const where = [`${o}customer_id = ${p(1)}`]
    const bind = (value: unknown) => {
      params.push(value)
      return p(params.length)
    }
    if (query.from !== undefined) where.push(`${o}timestamp >= ${bind(query.from)}`)
    if (query.to !== undefined) where.push(`${o}timestamp < ${bind(query.to)}`)
    if (query.after !== undefined) {
      // The first condition bounds the index range; the second skips the position itself and before.
      const { timestamp, seq } = query.after
      where.push(
        `${o}timestamp >= ${bind(timestamp)}`,
        `(${o}timestamp > ${bind(timestamp)} OR ${o}seq > ${bind(seq)})`,
      )
    }
    return {
      sql: `${from} WHERE ${where.join(' AND ')} ORDER BY ${o}timestamp, ${o}seq LIMIT ${bind(query.limit)}`,
      params,
    }
  }

  // The SELECT … FROM of a customer's events in (timestamp, seq) order, and the prefix of the
  // customer index's columns: the events' own index, or the merged index table joined by `seq`.
  #byCustomer(): { from: string; o: string } {
    const { events, eventOrder } = this.#q.tables
    return this.#q.deferredMerge === null
      ? { from: `SELECT ${READ_COLUMNS} FROM ${events}`, o: '' }
      : { from: `SELECT ${JOINED_COLUMNS} FROM ${eventOrder} o JOIN ${events} e ON e.seq = o.seq`, o: 'o.' }
  }
}
