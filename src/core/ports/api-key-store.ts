import type { ApiKeyScope } from '../api-keys/scopes.js'
import type { KeyPageQuery } from './storage.js'

/** An API key as stored: never its secret, only the secret's SHA-256 (lower-case hex). */
export interface ApiKeyRecord {
  /** `key_…`; the list order. */
  id: string
  name: string
  scopes: ApiKeyScope[]
  /** The secret's first characters, to tell keys apart in a list. */
  prefix: string
  /** SHA-256 of the secret, 64 lower-case hex digits; unique. */
  hash: string
  /** Epoch ms. */
  created_at: number
  /** Epoch ms after which the key is refused, or null. */
  expires_at: number | null
  /** Epoch ms of the latest recorded use, or null. */
  last_used_at: number | null
  /** Epoch ms of the revocation, or null. */
  revoked_at: number | null
}

/** One key's use at a time, as `touch` records it. */
export interface ApiKeyUse {
  id: string
  /** Epoch ms. */
  at: number
}

/**
 * API keys, looked up by the hash of the secret a request presents.
 *
 * @example
 * await storage.apiKeys.insert(record)
 * const found = await storage.apiKeys.findByHash(record.hash)
 */
export interface ApiKeyStore {
  /**
   * Stores a key under its id; `false` when the id is taken, and nothing changed. A hash stored
   * already is refused too (an error or `false`): random secrets never collide.
   */
  insert(key: ApiKeyRecord): Promise<boolean>
  get(id: string): Promise<ApiKeyRecord | null>
  /** The key whose `hash` is exactly this one (byte for byte), or null: one indexed read. */
  findByHash(hash: string): Promise<ApiKeyRecord | null>
  /** A page in id order. */
  list(query: KeyPageQuery): Promise<ApiKeyRecord[]>
  /**
   * Compare-and-set: marks a key revoked at `at` unless it is revoked already; answers whether this
   * call revoked it. Of concurrent revokes of one key, across processes, exactly one answers true.
   */
  revoke(id: string, at: number): Promise<boolean>
  /**
   * Records last-used times of many keys in one write. A time only moves forward: a use older than
   * the stored one changes nothing. Unknown ids are ignored.
   */
  touch(uses: readonly ApiKeyUse[]): Promise<void>
}
