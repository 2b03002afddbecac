import type { SessionOwner, SessionQuery, SessionRecord } from '../../core/ports/index.js'
import { type DialectQuirks, valuesRow } from './dialect-quirks.js'
import { keysetPage, type PageFilter } from './keyset-page.js'
import type { SqlOp } from './sql-script.js'

const COLUMNS = 'id, hash, kind, customer_id, api_key_id, expires_at, revoked_at, doc'

/**
 * The SQL of sessions: a document per id, with the token's hash (uniquely indexed), the kind, the
 * owner (customer or API key), the expiry and the revocation as columns.
 *
 * @example
 * new SessionStatements(sqliteQuirks).findByHash('ab12…').sql
 * // 'SELECT id, hash, kind, … FROM kobometer_sessions WHERE hash = ?'
 */
export class SessionStatements {
  readonly #q: DialectQuirks
  readonly #insertSql: string

  constructor(quirks: DialectQuirks) {
    this.#q = quirks
    this.#insertSql = quirks.insertSkippingExisting(
      quirks.tables.sessions,
      COLUMNS,
      valuesRow(quirks, 8),
      'id',
    )
  }

  /** Inserts a session unless its id is taken: the changed-row count (0 or 1) tells which. */
  insert(session: SessionRecord): SqlOp {
    const { id, hash, kind, customer_id, api_key_id, expires_at, revoked_at, ...doc } = session
    return {
      sql: this.#insertSql,
      params: [id, hash, kind, customer_id, api_key_id, expires_at, revoked_at, JSON.stringify(doc)],
    }
  }

  get(id: string): SqlOp {
    const q = this.#q
    return { sql: `SELECT ${COLUMNS} FROM ${q.tables.sessions} WHERE id = ${q.placeholder(1)}`, params: [id] }
  }

  findByHash(hash: string): SqlOp {
    const q = this.#q
    return {
      sql: `SELECT ${COLUMNS} FROM ${q.tables.sessions} WHERE hash = ${q.placeholder(1)}`,
      params: [hash],
    }
  }

  page(query: SessionQuery): SqlOp {
    const filters: PageFilter[] = []
    if (query.kind !== undefined) filters.push(['kind', '=', query.kind])
    if (query.customer_id !== undefined) filters.push(['customer_id', '=', query.customer_id])
    if (query.live_at !== undefined) filters.push(['expires_at', '>', query.live_at])
    const where = query.live_at === undefined ? [] : ['revoked_at IS NULL']
    const select = `SELECT ${COLUMNS} FROM ${this.#q.tables.sessions}`
    return keysetPage(this.#q, select, 'id', filters, query, where)
  }

  /** Revokes a session not revoked yet: the changed-row count (0 or 1) tells whether this call did. */
  revoke(id: string, at: number): SqlOp {
    const p = this.#q.placeholder
    return {
      sql: `UPDATE ${this.#q.tables.sessions} SET revoked_at = ${p(1)} WHERE id = ${p(2)} AND revoked_at IS NULL`,
      params: [at, id],
    }
  }

  /** Revokes every live session of one API key or one customer: the changed-row count says how many. */
  revokeAll(owner: SessionOwner, at: number): SqlOp {
    const p = this.#q.placeholder
    const [column, value] =
      'api_key_id' in owner ? ['api_key_id', owner.api_key_id] : ['customer_id', owner.customer_id]
    return {
      sql: `UPDATE ${this.#q.tables.sessions} SET revoked_at = ${p(1)} WHERE ${column} = ${p(2)} AND revoked_at IS NULL`,
      params: [at, value],
    }
  }

  deleteExpired(before: number): SqlOp {
    const p = this.#q.placeholder
    return { sql: `DELETE FROM ${this.#q.tables.sessions} WHERE expires_at <= ${p(1)}`, params: [before] }
  }
}
