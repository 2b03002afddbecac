import { sql } from 'kysely'
import { type DdlQuirks, type DialectQuirks, driverCode, valuesSource } from '../dialect-quirks.js'
import { tableNames } from '../schema.js'
import { questionMarkIn } from '../standard-sql.js'

const ER_LOCK_WAIT_TIMEOUT = 1205
const ER_LOCK_DEADLOCK = 1213

/**
 * MySQL and MariaDB (InnoDB). No `RETURNING`: `INSERT IGNORE` reports how many rows went in, and
 * when some did not, rows are read back by key and told apart by the transaction's batch token.
 * The meters lock is the state row itself (`LOCK IN SHARE MODE` / `FOR UPDATE`). Tables are
 * created `utf8mb4_bin` (case- and accent-sensitive; MariaDB's default collation would make `req_A`
 * equal `req_a`) and migration 0004 converts them to a binary NO PAD collation, so trailing spaces
 * count too; a later migration that creates a table converts it the same way (`convertToNoPad`). Decimals are
 * DECIMAL(65, 30): 35 integer and 30 fractional digits hold any sum of validated values exactly.
 *
 * @example
 * mysqlQuirks.decimalMin('min', 'VALUES(min)') // 'COALESCE(LEAST(min, VALUES(min)), min, VALUES(min))'
 */
export const mysqlQuirks: DialectQuirks = Object.freeze({
  dialect: 'mysql',
  tables: tableNames(),
  ddl: Object.freeze({
    schema: null,
    key: sql`varchar(255)`,
    code: sql`varchar(100)`,
    short: sql`varchar(128)`,
    text: sql`mediumtext`,
    decimal: sql`decimal(65, 30)`,
    seqType: sql`bigint`,
    seq: (column) => column.primaryKey().autoIncrement(),
    tableSuffix: () => sql`engine = InnoDB default charset = utf8mb4 collate = utf8mb4_bin`,
  } satisfies DdlQuirks),
  insertedRows: 'batch-token',
  orderInsertsByKey: true,
  meterHourShards: 8,
  maxRowsPerStatement: 1000,
  rowByRowUpdates: false,
  rollupShards: 4,
  // One table with a unique key on idempotency keys.
  partitionedEvents: null,
  deferredMerge: null,
  lockSql: Object.freeze({ shared: null, exclusive: null }),
  versionReadSuffix: Object.freeze({ shared: ' LOCK IN SHARE MODE', exclusive: ' FOR UPDATE' }),
  lockingReadSuffix: ' FOR UPDATE',
  seekWindowCustomers: false,
  forceIndex: (index) => ` FORCE INDEX (${index})`,
  placeholder: () => '?',
  rowSource: (columns, rows) => valuesSource(columns.length, rows),
  textIn: questionMarkIn,
  insertSkippingExisting: (table, columns, source) => `INSERT IGNORE INTO ${table} (${columns}) ${source}`,
  // VALUES(column) rather than the 8.0.19 row alias: MariaDB knows only the former.
  upsert: (table, columns, source, _target, set) =>
    `INSERT INTO ${table} (${columns}) ${source} ON DUPLICATE KEY UPDATE ${set(
      (column) => column,
      (column) => `VALUES(${column})`,
    )}`,
  // MySQL's + LEAST and GREATEST give NULL when any argument is NULL.
  decimalAdd: (a, b) => `COALESCE(${a} + ${b}, ${a}, ${b})`,
  decimalMin: (a, b) => `COALESCE(LEAST(${a}, ${b}), ${a}, ${b})`,
  decimalMax: (a, b) => `COALESCE(GREATEST(${a}, ${b}), ${a}, ${b})`,
  decimalSum: (column) => `SUM(${column})`,
  decimalLeast: (column) => `MIN(${column})`,
  decimalGreatest: (column) => `MAX(${column})`,
  decimalOrder: (expression) => expression,
  decimalText: (column) => `CAST(${column} AS CHAR)`,
  isRetryable: (error) => {
    const code = driverCode(error)
    return code === ER_LOCK_DEADLOCK || code === ER_LOCK_WAIT_TIMEOUT
  },
} satisfies DialectQuirks)
