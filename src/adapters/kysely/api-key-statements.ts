import type { ApiKeyRecord, ApiKeyUse, KeyPageQuery } from '../../core/ports/index.js'
import { type DialectQuirks, valuesRow } from './dialect-quirks.js'
import { keysetPage, Params } from './keyset-page.js'
import type { SqlOp } from './sql-script.js'

const COLUMNS = 'id, hash, last_used_at, revoked_at, doc'

/**
 * The SQL of API keys: a document per id, with the secret's hash (uniquely indexed), the last-used
 * and the revocation times as columns.
 *
 * @example
 * new ApiKeyStatements(sqliteQuirks).findByHash('ab12…').sql
 * // 'SELECT id, hash, last_used_at, revoked_at, doc FROM kobometer_api_keys WHERE hash = ?'
 */
export class ApiKeyStatements {
  readonly #q: DialectQuirks
  readonly #insertSql: string

  constructor(quirks: DialectQuirks) {
    this.#q = quirks
    this.#insertSql = quirks.insertSkippingExisting(
      quirks.tables.apiKeys,
      COLUMNS,
      valuesRow(quirks, 5),
      'id',
    )
  }

  /** Inserts a key unless its id is taken: the changed-row count (0 or 1) tells which. */
  insert(key: ApiKeyRecord): SqlOp {
    const { id, hash, last_used_at, revoked_at, ...doc } = key
    return { sql: this.#insertSql, params: [id, hash, last_used_at, revoked_at, JSON.stringify(doc)] }
  }

  get(id: string): SqlOp {
    const q = this.#q
    return { sql: `SELECT ${COLUMNS} FROM ${q.tables.apiKeys} WHERE id = ${q.placeholder(1)}`, params: [id] }
  }

  findByHash(hash: string): SqlOp {
    const q = this.#q
    return {
      sql: `SELECT ${COLUMNS} FROM ${q.tables.apiKeys} WHERE hash = ${q.placeholder(1)}`,
      params: [hash],
    }
  }

  page(query: KeyPageQuery): SqlOp {
    return keysetPage(this.#q, `SELECT ${COLUMNS} FROM ${this.#q.tables.apiKeys}`, 'id', [], query)
  }

  /** Revokes a key not revoked yet: the changed-row count (0 or 1) tells whether this call did. */
  revoke(id: string, at: number): SqlOp {
    const p = this.#q.placeholder
    return {
      sql: `UPDATE ${this.#q.tables.apiKeys} SET revoked_at = ${p(1)} WHERE id = ${p(2)} AND revoked_at IS NULL`,
      params: [at, id],
    }
  }

  /**
   * Moves the last-used times of several keys forward in one statement (one id each): a key whose
   * stored time is later keeps it.
   */
  touch(uses: readonly ApiKeyUse[]): SqlOp {
    const params = new Params(this.#q)
    const cases = uses.map(
      (u) =>
        `WHEN id = ${params.bind(u.id)} AND (last_used_at IS NULL OR last_used_at < ${params.bind(u.at)}) THEN ${params.bind(u.at)}`,
    )
    const ids = uses.map((u) => params.bind(u.id))
    return {
      sql: `UPDATE ${this.#q.tables.apiKeys} SET last_used_at = CASE ${cases.join(' ')} ELSE last_used_at END WHERE id IN (${ids.join(', ')})`,
      params: params.values,
    }
  }
}
