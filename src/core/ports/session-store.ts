import type { KeyPageQuery } from './storage.js'

/** Who a session is for: an operator of the dashboard, or one customer in the portal. */
export type SessionKind = 'operator' | 'portal'

/** A sign-in or portal session as stored: never its token, only the token's SHA-256. */
export interface SessionRecord {
  /** `ses_…`; the list order. */
  id: string
  /** SHA-256 of the token, 64 lower-case hex digits; unique. */
  hash: string
  kind: SessionKind
  /** The only customer a portal session may read; null for an operator session. */
  customer_id: string | null
  /** The API key an operator signed in with; null for a portal session. */
  api_key_id: string | null
  /** Where the portal links back to (a portal session's `return_url`), or null. */
  return_url: string | null
  /** Epoch ms. */
  created_at: number
  /** Epoch ms from which the session is refused. */
  expires_at: number
  /** Epoch ms of the revocation, or null. */
  revoked_at: number | null
}

/** A page of sessions in id order, narrowed by the filters given. */
export interface SessionQuery extends KeyPageQuery {
  kind?: SessionKind
  customer_id?: string
  /** Only sessions usable at this time: not revoked, and expiring after it. */
  live_at?: number
}

/**
 * Sessions, looked up by the hash of the token a browser presents.
 *
 * @example
 * await storage.sessions.insert(record)
 * const found = await storage.sessions.findByHash(record.hash)
 */
export interface SessionStore {
  /**
   * Stores a session under its id; `false` when the id is taken, and nothing changed. A hash
   * stored already is refused too (an error or `false`): random tokens never collide.
   */
  insert(session: SessionRecord): Promise<boolean>
  get(id: string): Promise<SessionRecord | null>
  /** The session whose `hash` is exactly this one (byte for byte), or null: one indexed read. */
  findByHash(hash: string): Promise<SessionRecord | null>
  /** A page in id order. */
  list(query: SessionQuery): Promise<SessionRecord[]>
  /**
   * Compare-and-set: marks a session revoked at `at` unless it is revoked already; answers whether
   * this call revoked it. Of concurrent revokes of one session, across processes, exactly one
   * answers true.
   */
  revoke(id: string, at: number): Promise<boolean>
  /**
   * Revokes at `at` every session not revoked yet of one API key (`api_key_id`) or of one customer
   * (`customer_id`), in one write; answers how many this call revoked.
   */
  revokeAll(owner: SessionOwner, at: number): Promise<number>
  /** Deletes every session that expired at or before `before`; answers how many. */
  deleteExpired(before: number): Promise<number>
}

/** Whose sessions `revokeAll` revokes: one API key's or one customer's. */
export type SessionOwner = { api_key_id: string } | { customer_id: string }
