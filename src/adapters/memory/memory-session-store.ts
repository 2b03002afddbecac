import type { SessionOwner, SessionQuery, SessionRecord, SessionStore } from '../../core/ports/index.js'
import { copy, copyOrNull, page } from './documents.js'

/** Whether a session belongs to `owner` (one API key's or one customer's). */
const ownedBy = (session: SessionRecord, owner: SessionOwner): boolean =>
  'api_key_id' in owner ? session.api_key_id === owner.api_key_id : session.customer_id === owner.customer_id

/**
 * The memory sessions, by id and by the hash of their token.
 *
 * @example
 * await new MemorySessionStore().findByHash('ab12…') // null
 */
export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, SessionRecord>()
  readonly #byHash = new Map<string, string>()

  async insert(session: SessionRecord): Promise<boolean> {
    if (this.#sessions.has(session.id) || this.#byHash.has(session.hash)) return false
    this.#sessions.set(session.id, copy(session))
    this.#byHash.set(session.hash, session.id)
    return true
  }

  async get(id: string): Promise<SessionRecord | null> {
    return copyOrNull(this.#sessions.get(id))
  }

  async findByHash(hash: string): Promise<SessionRecord | null> {
    const id = this.#byHash.get(hash)
    return id === undefined ? null : copyOrNull(this.#sessions.get(id))
  }

  async list(query: SessionQuery): Promise<SessionRecord[]> {
    const { kind, customer_id, live_at } = query
    return page(
      this.#sessions.values(),
      (s) => s.id,
      query,
      (s) =>
        (kind === undefined || s.kind === kind) &&
        (customer_id === undefined || s.customer_id === customer_id) &&
        (live_at === undefined || (s.revoked_at === null && s.expires_at > live_at)),
    )
  }

  async revoke(id: string, at: number): Promise<boolean> {
    const found = this.#sessions.get(id)
    if (found === undefined || found.revoked_at !== null) return false
    found.revoked_at = at
    return true
  }

  async revokeAll(owner: SessionOwner, at: number): Promise<number> {
    let revoked = 0
    for (const session of this.#sessions.values()) {
      if (session.revoked_at !== null || !ownedBy(session, owner)) continue
      session.revoked_at = at
      revoked++
    }
    return revoked
  }

  async deleteExpired(before: number): Promise<number> {
    let deleted = 0
    for (const [id, session] of this.#sessions) {
      if (session.expires_at > before) continue
      this.#sessions.delete(id)
      this.#byHash.delete(session.hash)
      deleted++
    }
    return deleted
  }
}
