import type { ApiKeyRecord } from '../ports/index.js'
import { isoTime } from '../time/iso-time.js'
import type { ApiKey } from './types.js'

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : isoTime(ms))

/**
 * A stored key as the API shows it: times in ISO-8601, without its hash.
 *
 * @example
 * apiKeyView(record).created_at // '2026-01-01T00:00:00.000Z'
 */
export function apiKeyView(record: ApiKeyRecord): ApiKey {
  return {
    id: record.id,
    name: record.name,
    scopes: [...record.scopes],
    prefix: record.prefix,
    created_at: isoTime(record.created_at),
    expires_at: isoOrNull(record.expires_at),
    last_used_at: isoOrNull(record.last_used_at),
    revoked_at: isoOrNull(record.revoked_at),
  }
}
