import { sql } from 'kysely'
import { type DdlQuirks, type DialectQuirks, driverCode, valuesSource } from '../dialect-quirks.js'
import { tableNames } from '../schema.js'
import { onConflictDoNothing, onConflictUpdate, questionMarkIn } from '../standard-sql.js'
import { SQLITE_DECIMAL_FUNCTIONS as FN } from './sqlite-decimal-functions.js'

// Whole numbers of at most 9 digits: SQLite sums them natively, exactly (9.2 billion rows of them
// stay inside a 64-bit integer), and only the other values go through the decimal aggregate.
const smallWhole = (column: string) => `(${column} NOT GLOB '*[^0-9]*' AND length(${column}) BETWEEN 1 AND 9)`

/** Appended events a SQLite storage leaves unmerged at most, unless told (`mergeEvery`). */
export const DEFAULT_MERGE_EVERY = 20_000

/**
 * The exact sum of a decimal TEXT column: the small whole numbers (most token counts) summed by
 * SQLite as integers, the rest by kobometer's decimal aggregate, and the two added; NULL when
 * every value is NULL. A JavaScript call per row is what a sum costs otherwise.
 *
 * @example
 * sqliteDecimalSum('sum') // "kobometer_dec_add(CAST(SUM(CAST(sum AS INTEGER)) FILTER (WHERE …) AS TEXT), …)"
 */
export function sqliteDecimalSum(column: string): string {
  const whole = smallWhole(column)
  return (
    `${FN.add}(CAST(SUM(CAST(${column} AS INTEGER)) FILTER (WHERE ${whole}) AS TEXT),` +
    ` ${FN.sum}(${column}) FILTER (WHERE NOT ${whole}))`
  )
}

/**
 * SQLite (better-sqlite3). One writer at a time: `BEGIN IMMEDIATE` takes the database's write lock,
 * so it is also the meters lock. Decimals are TEXT merged by kobometer's registered functions.
 * Tables keyed by their primary key are `WITHOUT ROWID`: an upsert then touches one b-tree, not two.
 *
 * @example
 * sqliteQuirks.decimalAdd('r.sum', 'excluded.sum') // 'kobometer_dec_add(r.sum, excluded.sum)'
 */
export const sqliteQuirks: DialectQuirks = Object.freeze({
  dialect: 'sqlite',
  tables: tableNames(),
  ddl: Object.freeze({
    schema: null,
    key: sql`text`,
    code: sql`text`,
    short: sql`text`,
    text: sql`text`,
    decimal: sql`text`,
    // INTEGER PRIMARY KEY is the rowid: no AUTOINCREMENT bookkeeping on the insert path.
    seqType: sql`integer`,
    seq: (column) => column.primaryKey(),
    tableSuffix: (clustered) => (clustered ? sql`without rowid` : null),
  } satisfies DdlQuirks),
  insertedRows: 'row-count',
  orderInsertsByKey: false,
  // One writer at a time: no contention on an hour's totals row to spread.
  meterHourShards: 1,
  // 200 rows × ≤ 10 columns stays far below SQLite's 32,766 parameters and keeps few statement shapes.
  maxRowsPerStatement: 200,
  rowByRowUpdates: true,
  rollupShards: 1,
  // The one writer pays for every page a transaction dirties: scattered customer-index and rollup
  // pages cost most of an append, so they are merged in sorted order a tail of events at a time.
  // One table with a unique key on idempotency keys.
  partitionedEvents: null,
  deferredMerge: Object.freeze({ tailEvents: DEFAULT_MERGE_EVERY }),
  lockSql: Object.freeze({ shared: null, exclusive: null }),
  versionReadSuffix: Object.freeze({ shared: '', exclusive: '' }),
  lockingReadSuffix: '',
  seekWindowCustomers: true,
  forceIndex: () => '',
  placeholder: () => '?',
  rowSource: (columns, rows) => valuesSource(columns.length, rows),
  textIn: questionMarkIn,
  insertSkippingExisting: onConflictDoNothing,
  upsert: onConflictUpdate,
  decimalAdd: (a, b) => `${FN.add}(${a}, ${b})`,
  decimalMin: (a, b) => `${FN.min}(${a}, ${b})`,
  decimalMax: (a, b) => `${FN.max}(${a}, ${b})`,
  decimalSum: (column) => sqliteDecimalSum(column),
  decimalLeast: (column) => `${FN.least}(${column})`,
  decimalGreatest: (column) => `${FN.greatest}(${column})`,
  // Decimals are TEXT here: ordered as doubles, exact to 15 significant digits.
  decimalOrder: (expression) => `CAST(${expression} AS REAL)`,
  decimalText: (column) => column,
  isRetryable: (error) => {
    const code = driverCode(error)
    return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
  },
} satisfies DialectQuirks)
