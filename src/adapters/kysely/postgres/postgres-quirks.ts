import { sql } from 'kysely'
import { type ColumnKind, type DdlQuirks, type DialectQuirks, driverCode } from '../dialect-quirks.js'
import { TABLE, tableNames } from '../schema.js'
import { onConflictDoNothing, onConflictUpdate } from '../standard-sql.js'
import { arrayParameter } from './array-literal.js'

const ARRAY_TYPE: Record<ColumnKind, string> = { text: 'text[]', int: 'int8[]', decimal: 'numeric[]' }

// Advisory lock keys: a constant class ("kobo") and the schema's hash, so stores in different
// schemas of one database do not wait on each other.
const LOCK_CLASS = 0x6b6f626f
// The lock class of partition creation: its own, so creating a month never waits on the meters lock.
const PARTITION_LOCK_CLASS = LOCK_CLASS + 1

/**
 * Quotes a PostgreSQL identifier.
 *
 * @example
 * quoteIdentifier('billing') // '"billing"'
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

function hash32(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h | 0
}

/**
 * PostgreSQL. Appends take the shared side of a transaction-scoped advisory lock, meter creation
 * the exclusive side. Batches travel as one array parameter per column (`unnest`), so a statement's
 * text and parameter count never depend on the batch size. Keys are `COLLATE "C"`: byte order,
 * case- and accent-sensitive, and cheaper to compare than a linguistic collation.
 *
 * @example
 * const quirks = postgresQuirks('billing') // tables "billing".kobometer_…
 */
export function postgresQuirks(schema: string): DialectQuirks {
  const qualified = quoteIdentifier(schema)
  const lockKey = `${LOCK_CLASS}, ${hash32(schema)}`
  return Object.freeze({
    dialect: 'postgres',
    tables: tableNames((name) => `${qualified}.${name}`),
    ddl: Object.freeze({
      schema,
      key: sql`text collate "C"`,
      code: sql`text collate "C"`,
      short: sql`text`,
      text: sql`text`,
      decimal: sql`numeric`,
      seqType: sql`bigint`,
      seq: (column) => column.primaryKey().generatedAlwaysAsIdentity(),
      tableSuffix: () => null,
    } satisfies DdlQuirks),
    insertedRows: 'returning',
    orderInsertsByKey: true,
    meterHourShards: 8,
    maxRowsPerStatement: 5000,
    rowByRowUpdates: false,
    rollupShards: 4,
    deferredMerge: null,
    partitionedEvents: Object.freeze({
      partition: (month: string) => `${qualified}.${quoteIdentifier(`${TABLE.events}_p${month}`)}`,
      lockSql: `SELECT pg_advisory_xact_lock(${PARTITION_LOCK_CLASS}, ${hash32(schema)})`,
      // 23514 is also a failed CHECK, which names its constraint; the missing partition names
      // none (the message alone would depend on the server's language).
      isMissingPartition: (error: unknown) =>
        driverCode(error) === '23514' && (error as { constraint?: unknown }).constraint === undefined,
    }),
    lockSql: Object.freeze({
      shared: `SELECT pg_advisory_xact_lock_shared(${lockKey})`,
      exclusive: `SELECT pg_advisory_xact_lock(${lockKey})`,
    }),
    versionReadSuffix: Object.freeze({ shared: '', exclusive: '' }),
    lockingReadSuffix: ' FOR UPDATE',
    seekWindowCustomers: false,
    forceIndex: () => '',
    placeholder: (index) => `$${index}`,
    rowSource: (columns, rows) => {
      const arrays = columns.map((_, c) => arrayParameter(rows.map((row) => row[c])))
      const args = columns.map((column, c) => `$${c + 1}::${ARRAY_TYPE[column.kind]}`)
      return { sql: `SELECT * FROM unnest(${args.join(', ')})`, params: arrays }
    },
    textIn: (column, values) => ({ sql: `${column} = ANY($1::text[])`, params: [arrayParameter(values)] }),
    insertSkippingExisting: onConflictDoNothing,
    upsert: onConflictUpdate,
    decimalAdd: (a, b) => `COALESCE(${a} + ${b}, ${a}, ${b})`,
    // PostgreSQL's LEAST and GREATEST skip NULL arguments.
    decimalMin: (a, b) => `LEAST(${a}, ${b})`,
    decimalMax: (a, b) => `GREATEST(${a}, ${b})`,
    decimalSum: (column) => `SUM(${column})`,
    decimalLeast: (column) => `MIN(${column})`,
    decimalGreatest: (column) => `MAX(${column})`,
    decimalOrder: (expression) => expression,
    decimalText: (column) => `${column}::text`,
    isRetryable: (error) => {
      const code = driverCode(error)
      return code === '40P01' || code === '40001'
    },
  } satisfies DialectQuirks)
}
