import type { ApiKeyRecord, ApiKeyStore, ApiKeyUse, KeyPageQuery } from '../../../core/ports/index.js'
import type { SqlScript } from '../sql-script.js'
import type { SqlStoreParts } from './sql-store-parts.js'

/** Keys per `touch` statement: bounded by the dialects' parameter limits (4 parameters a key). */
const TOUCH_CHUNK = 200

type Row = Record<string, unknown>

const epochOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value)

function toRecord(row: Row): ApiKeyRecord {
  const doc = JSON.parse(String(row.doc)) as Omit<ApiKeyRecord, 'id' | 'hash' | 'last_used_at' | 'revoked_at'>
  return {
    id: String(row.id),
    ...doc,
    hash: String(row.hash),
    last_used_at: epochOrNull(row.last_used_at),
    revoked_at: epochOrNull(row.revoked_at),
  }
}

/** The latest use of each key, in id order (so concurrent touches lock rows in one order). */
function latestUses(uses: readonly ApiKeyUse[]): ApiKeyUse[] {
  const latest = new Map<string, number>()
  for (const { id, at } of uses) latest.set(id, Math.max(at, latest.get(id) ?? at))
  return [...latest].map(([id, at]) => ({ id, at })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/**
 * The SQL API keys.
 *
 * @example
 * const key = await new SqlApiKeyStore(parts).findByHash(hash)
 */
export class SqlApiKeyStore implements ApiKeyStore {
  readonly #parts: SqlStoreParts

  constructor(parts: SqlStoreParts) {
    this.#parts = parts
  }

  insert(key: ApiKeyRecord): Promise<boolean> {
    return this.#parts.ops.changed(this.#parts.sql.apiKeys.insert(key))
  }

  async get(id: string): Promise<ApiKeyRecord | null> {
    const { rows } = await this.#parts.runner.read(this.#parts.sql.apiKeys.get(id))
    return rows[0] === undefined ? null : toRecord(rows[0])
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | null> {
    const { rows } = await this.#parts.runner.read(this.#parts.sql.apiKeys.findByHash(hash))
    // The index compares bytes in every dialect; checking again costs nothing and guards a
    // collation a host may have changed.
    const row = rows.find((r) => String(r.hash) === hash)
    return row === undefined ? null : toRecord(row)
  }

  async list(query: KeyPageQuery): Promise<ApiKeyRecord[]> {
    const { rows } = await this.#parts.runner.read(this.#parts.sql.apiKeys.page(query))
    return rows.map(toRecord)
  }

  revoke(id: string, at: number): Promise<boolean> {
    return this.#parts.ops.changed(this.#parts.sql.apiKeys.revoke(id, at))
  }

  async touch(uses: readonly ApiKeyUse[]): Promise<void> {
    const latest = latestUses(uses)
    if (latest.length === 0) return
    const statements = this.#parts.sql.apiKeys
    await this.#parts.runner.write(function* (): SqlScript<void> {
      for (let i = 0; i < latest.length; i += TOUCH_CHUNK) {
        yield statements.touch(latest.slice(i, i + TOUCH_CHUNK))
      }
    })
  }
}
