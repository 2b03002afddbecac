import type { ColumnDefinitionBuilder, RawBuilder } from 'kysely'
import type { SqlOp } from './sql-script.js'

/** How a column's values are sent: PostgreSQL needs it to type its array parameters. */
export type ColumnKind = 'text' | 'int' | 'decimal'

/** A column of a multi-row statement. */
export interface ColumnSpec {
  readonly name: string
  readonly kind: ColumnKind
}

/** The names the SQL uses for kobometer's tables, schema-qualified where the dialect has schemas. */
export interface TableNames {
  readonly events: string
  /** Where the events are partitioned: every stored idempotency key and its payload hash. */
  readonly eventKeys: string
  readonly meters: string
  readonly state: string
  readonly rollups: string
  readonly rollupValues: string
  readonly meterHours: string
  /** Where the merge is deferred: the customer index of merged events. */
  readonly eventOrder: string
  /** Where the merge is deferred: each append's rollup deltas, until merged. */
  readonly pendingRollups: string
  /** Where the merge is deferred: rollups by minute, for exact window edges without events. */
  readonly minuteRollups: string
  readonly customers: string
  readonly plans: string
  readonly subscriptions: string
  readonly invoices: string
  readonly sequences: string
  readonly closedPeriods: string
  readonly paymentMethods: string
  readonly payments: string
  readonly allowances: string
  /** Each allowance's `used`, `revision` and fill: what an append that only counts rewrites. */
  readonly allowanceUsage: string
  /**
   * One row per customer whose allowances were opened or weighed (where writers run concurrently):
   * the row every transaction that opens a customer's allowances or locks several of them locks
   * first, in customer order.
   */
  readonly allowanceCustomers: string
  readonly reservations: string
  readonly limitedMeters: string
  readonly notifications: string
  readonly notificationDeliveries: string
  readonly alerts: string
  readonly apiKeys: string
  readonly sessions: string
}

/** Column types and table options for the migrations, per dialect. */
export interface DdlQuirks {
  /** Schema holding every table (PostgreSQL), or null for the connection's default. */
  readonly schema: string | null
  /** Ids, keys and stored unique-count values (≤ 64 characters): ≤ 255 characters, compared byte for byte. */
  readonly key: RawBuilder<unknown>
  /** Meter codes and event names: ≤ 100 characters, compared byte for byte. */
  readonly code: RawBuilder<unknown>
  /** Payload hashes and ISO timestamps. */
  readonly short: RawBuilder<unknown>
  /** JSON documents (event properties, meter definitions). */
  readonly text: RawBuilder<unknown>
  /** Exact decimals: sums, minimums, maximums, latest values. */
  readonly decimal: RawBuilder<unknown>
  /** The events' `seq` column type and its auto-increment clause. */
  readonly seqType: RawBuilder<unknown>
  seq(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder
  /** Appended to CREATE TABLE; `clustered` tables are stored in primary-key order. */
  tableSuffix(clustered: boolean): RawBuilder<unknown> | null
}

/**
 * Everything that differs between SQLite, PostgreSQL and MySQL/MariaDB, in one object per dialect.
 * The statements and transaction scripts ask these; they never test which dialect they run on.
 */
export interface DialectQuirks {
  readonly dialect: 'sqlite' | 'postgres' | 'mysql'
  readonly tables: TableNames
  readonly ddl: DdlQuirks
  /**
   * How an insert that skips stored keys tells which of its rows went in.
   * - `'returning'`: multi-row `INSERT … RETURNING idempotency_key` lists them (PostgreSQL).
   * - `'row-count'`: one row per statement and its changed-row count (SQLite: a prepared one-row
   *   insert runs faster there than a multi-row VALUES, whose rows SQLite materializes first).
   * - `'batch-token'`: no `RETURNING` (MySQL): rows carry the transaction's random `batch_token`,
   *   read back by key when the inserted count falls short.
   */
  readonly insertedRows: 'returning' | 'row-count' | 'batch-token'
  /**
   * Insert events in idempotency-key order, so concurrent transactions take unique-index locks in
   * one order and do not deadlock. True where writers run concurrently (PostgreSQL, MySQL).
   */
  readonly orderInsertsByKey: boolean
  /**
   * Rows each (meter, hour) of the cross-customer hourly totals is spread over. A transaction adds
   * to one of them (its process's start plus its group-commit slot), so concurrent writers rarely
   * wait on one row; reads sum them. 1 where one writer runs at a time (SQLite).
   */
  readonly meterHourShards: number
  /**
   * Appended to a table name in FROM to make the planner use `index`: MySQL/MariaDB's cost model
   * prefers a primary-key range over many rows to a secondary index's narrow range plus lookups,
   * even where the latter reads a small fraction of them. Nothing where the planner finds it alone.
   */
  forceIndex(index: string): string
  /**
   * Top customers: the (meter, bucket, customer_id) index only names the window's customers (read
   * as a covering index), then each one's hours are read by primary key, contiguously. For SQLite,
   * where looking up the row of each index entry costs more than scanning all of the meter's rows;
   * elsewhere the window's rows are read through the index directly.
   */
  readonly seekWindowCustomers: boolean
  /** Rows per multi-row statement (bounded by the dialect's parameter limit or packet size). */
  readonly maxRowsPerStatement: number
  /**
   * Rewrites rows that a transaction holds locked with one prepared single-row UPDATE each, not a
   * multi-row upsert: where a statement costs no round trip and a multi-row VALUES is materialized
   * before it is applied (SQLite). Elsewhere one statement per `maxRowsPerStatement` rows.
   */
  readonly rowByRowUpdates: boolean
  /**
   * Rows one (meter, customer, hour) rollup may be split over. Concurrent writers (PostgreSQL,
   * MySQL) would otherwise queue on the row lock of every hot current-hour rollup until the
   * holder commits: each append transaction writes one shard (its process's start plus its
   * group-commit slot), so a process's concurrent transactions never wait for each other, other
   * processes' only when they landed on the same shard, and reads fold the shards. 1 (no `shard`
   * column) where one writer runs at a time (SQLite).
   */
  readonly rollupShards: number
  /**
   * Defers the events' customer index and the rollups to a merge (SQLite, where one writer at a
   * time pays for every page it dirties): an append stores its events and one row of its rollup
   * deltas, both appended in order; a merge folds every unmerged event into the customer index in
   * (customer, time) order and every pending delta into the rollups, in one transaction, once the
   * unmerged tail reaches `tailEvents` or before anything reads them. Null: written at append.
   */
  readonly deferredMerge: { readonly tailEvents: number } | null
  /**
   * Range-partitions the events by `timestamp`, one partition per UTC calendar month (PostgreSQL),
   * so a closed month can be detached and archived without touching the hot ones. A partitioned
   * table's unique index must contain the partition key, so idempotency keys live in their own
   * table (`tables.eventKeys`, never archived): appends insert keys first and only the events whose
   * key went in. Partitions are created before rows land (by the migration, and on demand when an
   * append fails for a missing one). Null: one unpartitioned table with a unique key.
   */
  readonly partitionedEvents: PartitionedEvents | null
  /**
   * Takes the shared (appends) or exclusive (meter creation) side of the meters lock, before the
   * version is read: PostgreSQL advisory locks. Null where the version read itself locks (MySQL)
   * or the transaction already excludes other writers (SQLite `BEGIN IMMEDIATE`).
   */
  readonly lockSql: { readonly shared: string | null; readonly exclusive: string | null }
  /** Appended to the read of the state row: a locking read on MySQL, else nothing. */
  readonly versionReadSuffix: { readonly shared: string; readonly exclusive: string }
  /**
   * Appended to a single-row read that a transaction then rewrites: ` FOR UPDATE` where writers run
   * concurrently, nothing on SQLite (`BEGIN IMMEDIATE` already excludes other writers).
   */
  readonly lockingReadSuffix: string
  /** The placeholder of the `index`-th (1-based) parameter: `$1` on PostgreSQL, `?` elsewhere. */
  placeholder(index: number): string
  /** A row source for INSERT: `VALUES (…), (…)`, or one `unnest` of array parameters on PostgreSQL. */
  rowSource(columns: readonly ColumnSpec[], rows: readonly (readonly unknown[])[]): SqlOp
  /** `column IN (…)` over text values, with parameters starting at 1. */
  textIn(column: string, values: readonly string[]): SqlOp
  /** An INSERT that silently skips rows whose `conflictTarget` key already exists. */
  insertSkippingExisting(table: string, columns: string, source: string, conflictTarget: string): string
  /**
   * An upsert. `set` builds the assignments from how to name the stored row's column and the
   * incoming row's column (`r.count` / `excluded.count` vs `count` / `VALUES(count)`).
   */
  upsert(
    table: string,
    columns: string,
    source: string,
    conflictTarget: string,
    set: (stored: (column: string) => string, incoming: (column: string) => string) => string,
  ): string
  /** Exact decimal `a + b`, `min(a, b)`, `max(a, b)` where either side may be NULL (then the other wins). */
  decimalAdd(a: string, b: string): string
  decimalMin(a: string, b: string): string
  decimalMax(a: string, b: string): string
  /** Exact decimal aggregates over a column's rows (NULLs skipped; NULL when none): sum, least, greatest. */
  decimalSum(column: string): string
  decimalLeast(column: string): string
  decimalGreatest(column: string): string
  /** An ORDER BY key for a decimal expression: itself where decimals are numbers, a double on SQLite. */
  decimalOrder(expression: string): string
  /** A decimal column read as text, whatever the driver's number settings. */
  decimalText(column: string): string
  /** Whether a failure is a lock conflict (deadlock, serialization, busy) worth retrying the transaction for. */
  isRetryable(error: unknown): boolean
}

/** How the events' monthly partitions are named, created and missed. */
export interface PartitionedEvents {
  /** The partition of a UTC month, schema-qualified: `month` is `'YYYYMM'`. */
  partition(month: string): string
  /**
   * Taken (transaction-scoped) before creating partitions: `CREATE TABLE IF NOT EXISTS` is not
   * safe against itself, so processes creating the same month take turns.
   */
  readonly lockSql: string
  /** Whether a failure is an insert of a row no partition accepts. */
  isMissingPartition(error: unknown): boolean
}

const valuesSql = new Map<number, string>()

/**
 * A `VALUES (?, ?), (?, ?)` row source, parameters flattened row by row. The text depends only on
 * the shape, so it is built once per shape and prepared statements keyed by it are reused.
 *
 * @example
 * valuesSource(2, [['a', 1], ['b', 2]]) // { sql: 'VALUES (?,?),(?,?)', params: ['a', 1, 'b', 2] }
 */
export function valuesSource(width: number, rows: readonly (readonly unknown[])[]): SqlOp {
  const shape = rows.length * 64 + width
  let sql = valuesSql.get(shape)
  if (sql === undefined) {
    const tuple = `(${'?,'.repeat(width - 1)}?)`
    sql = `VALUES ${`${tuple},`.repeat(rows.length - 1)}${tuple}`
    if (valuesSql.size < 4096) valuesSql.set(shape, sql)
  }
  const params: unknown[] = new Array(rows.length * width)
  let n = 0
  for (const row of rows) for (let c = 0; c < width; c++) params[n++] = row[c]
  return { sql, params }
}

/**
 * `rows` rows (default one) of `width` parameters in the dialect's placeholder style, numbered
 * from 1 row after row.
 *
 * @example
 * valuesRow(postgresQuirks('public'), 3) // 'VALUES ($1, $2, $3)'
 * valuesRow(postgresQuirks('public'), 2, 2) // 'VALUES ($1, $2), ($3, $4)'
 */
export function valuesRow(quirks: Pick<DialectQuirks, 'placeholder'>, width: number, rows = 1): string {
  const tuples = Array.from(
    { length: rows },
    (_, r) =>
      `(${Array.from({ length: width }, (_, c) => quirks.placeholder(r * width + c + 1)).join(', ')})`,
  )
  return `VALUES ${tuples.join(', ')}`
}

/**
 * The error's driver code (`'40P01'`, `'SQLITE_BUSY'`) or MySQL errno, when it has one.
 *
 * @example
 * driverCode(Object.assign(new Error('deadlock'), { code: '40P01' })) // '40P01'
 */
export function driverCode(error: unknown): string | number | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const { code, errno } = error as { code?: unknown; errno?: unknown }
  if (typeof errno === 'number') return errno
  return typeof code === 'string' || typeof code === 'number' ? code : undefined
}
