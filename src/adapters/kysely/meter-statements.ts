import type { Meter } from '../../core/meters/types.js'
import { type DialectQuirks, valuesRow } from './dialect-quirks.js'
import type { SqlOp } from './sql-script.js'

/** Which side of the meters lock a transaction takes: appends share it, meter creation excludes. */
export type LockMode = 'shared' | 'exclusive'

/**
 * The SQL of meters and of the single-row state table whose `meters_version` is both the meters'
 * version and the lock object between appends and meter creation.
 *
 * @example
 * const meters = new MeterStatements(mysqlQuirks)
 * meters.readVersion('shared') // SELECT meters_version … LOCK IN SHARE MODE
 */
export class MeterStatements {
  readonly #q: DialectQuirks
  // Read by every append: the text is built once, not per call.
  readonly #readVersionSql: { readonly [mode in LockMode]: string }

  constructor(quirks: DialectQuirks) {
    this.#q = quirks
    const read = `SELECT meters_version FROM ${quirks.tables.state} WHERE id = 1`
    this.#readVersionSql = {
      shared: `${read}${quirks.versionReadSuffix.shared}`,
      exclusive: `${read}${quirks.versionReadSuffix.exclusive}`,
    }
  }

  /** The statement taking the lock before the version is read, if the dialect needs one. */
  lock(mode: LockMode): SqlOp | null {
    const sql = this.#q.lockSql[mode]
    return sql === null ? null : { sql, params: [] }
  }

  readVersion(mode: LockMode): SqlOp {
    return { sql: this.#readVersionSql[mode], params: [] }
  }

  bumpVersion(): SqlOp {
    return {
      sql: `UPDATE ${this.#q.tables.state} SET meters_version = meters_version + 1 WHERE id = 1`,
      params: [],
    }
  }

  list(): SqlOp {
    return { sql: `SELECT definition FROM ${this.#q.tables.meters} ORDER BY creation_order`, params: [] }
  }

  get(code: string): SqlOp {
    return {
      sql: `SELECT definition FROM ${this.#q.tables.meters} WHERE code = ${this.#q.placeholder(1)}`,
      params: [code],
    }
  }

  insert(meter: Meter, creationOrder: number): SqlOp {
    return {
      sql: `INSERT INTO ${this.#q.tables.meters} (code, definition, created_at, creation_order) ${valuesRow(this.#q, 4)}`,
      params: [meter.code, JSON.stringify(meter), meter.created_at, creationOrder],
    }
  }
}
