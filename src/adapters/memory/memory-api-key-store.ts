import type { ApiKeyRecord, ApiKeyStore, ApiKeyUse, KeyPageQuery } from '../../core/ports/index.js'
import { copy, copyOrNull, page } from './documents.js'

/**
 * The memory API keys, by id and by the hash of their secret.
 *
 * @example
 * await new MemoryApiKeyStore().findByHash('ab12…') // null
 */
export class MemoryApiKeyStore implements ApiKeyStore {
  readonly #keys = new Map<string, ApiKeyRecord>()
  readonly #byHash = new Map<string, string>()

  async insert(key: ApiKeyRecord): Promise<boolean> {
    if (this.#keys.has(key.id) || this.#byHash.has(key.hash)) return false
    this.#keys.set(key.id, copy(key))
    this.#byHash.set(key.hash, key.id)
    return true
  }

  async get(id: string): Promise<ApiKeyRecord | null> {
    return copyOrNull(this.#keys.get(id))
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | null> {
    const id = this.#byHash.get(hash)
    return id === undefined ? null : copyOrNull(this.#keys.get(id))
  }

  async list(query: KeyPageQuery): Promise<ApiKeyRecord[]> {
    return page(this.#keys.values(), (k) => k.id, query)
  }

  async revoke(id: string, at: number): Promise<boolean> {
    const found = this.#keys.get(id)
    if (found === undefined || found.revoked_at !== null) return false
    found.revoked_at = at
    return true
  }

  async touch(uses: readonly ApiKeyUse[]): Promise<void> {
    for (const { id, at } of uses) {
      const found = this.#keys.get(id)
      if (found !== undefined && (found.last_used_at === null || found.last_used_at < at))
        found.last_used_at = at
    }
  }
}
