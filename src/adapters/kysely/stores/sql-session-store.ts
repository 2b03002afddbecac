import type {
  SessionKind,
  SessionOwner,
  SessionQuery,
  SessionRecord,
  SessionStore,
} from '../../../core/ports/index.js'
import type { SqlStoreParts } from './sql-store-parts.js'

type Row = Record<string, unknown>
type Doc = Pick<SessionRecord, 'created_at' | 'return_url'>

const stringOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value)

const epochOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value)

function toRecord(row: Row): SessionRecord {
  const doc = JSON.parse(String(row.doc)) as Doc
  return {
    id: String(row.id),
    hash: String(row.hash),
    kind: String(row.kind) as SessionKind,
    customer_id: stringOrNull(row.customer_id),
    api_key_id: stringOrNull(row.api_key_id),
    return_url: doc.return_url,
    created_at: doc.created_at,
    expires_at: Number(row.expires_at),
    revoked_at: epochOrNull(row.revoked_at),
  }
}

/**
 * The SQL sessions.
 *
 * @example
 * const session = await new SqlSessionStore(parts).findByHash(hash)
 */
export class SqlSessionStore implements SessionStore {
  readonly #parts: SqlStoreParts

  constructor(parts: SqlStoreParts) {
    this.#parts = parts
  }

  insert(session: SessionRecord): Promise<boolean> {
    return this.#parts.ops.changed(this.#parts.sql.sessions.insert(session))
  }

  async get(id: string): Promise<SessionRecord | null> {
    const { rows } = await this.#parts.runner.read(this.#parts.sql.sessions.get(id))
    return rows[0] === undefined ? null : toRecord(rows[0])
  }

  async findByHash(hash: string): Promise<SessionRecord | null> {
    const { rows } = await this.#parts.runner.read(this.#parts.sql.sessions.findByHash(hash))
    // The index compares bytes in every dialect; checking again guards a collation a host changed.
    const row = rows.find((r) => String(r.hash) === hash)
    return row === undefined ? null : toRecord(row)
  }

  async list(query: SessionQuery): Promise<SessionRecord[]> {
    const { rows } = await this.#parts.runner.read(this.#parts.sql.sessions.page(query))
    return rows.map(toRecord)
  }

  revoke(id: string, at: number): Promise<boolean> {
    return this.#parts.ops.changed(this.#parts.sql.sessions.revoke(id, at))
  }

  async revokeAll(owner: SessionOwner, at: number): Promise<number> {
    return (await this.#parts.ops.write(this.#parts.sql.sessions.revokeAll(owner, at))).affected
  }

  async deleteExpired(before: number): Promise<number> {
    return (await this.#parts.ops.write(this.#parts.sql.sessions.deleteExpired(before))).affected
  }
}
