import type { SessionRecord } from '../ports/index.js'
import { isoTime } from '../time/iso-time.js'
import type { Session } from './types.js'

/**
 * A stored session as the API shows it: times in ISO-8601, without its hash.
 *
 * @example
 * sessionView(record).expires_at // '2026-01-01T12:00:00.000Z'
 */
export function sessionView(record: SessionRecord): Session {
  return {
    id: record.id,
    kind: record.kind,
    customer_id: record.customer_id,
    api_key_id: record.api_key_id,
    return_url: record.return_url,
    created_at: isoTime(record.created_at),
    expires_at: isoTime(record.expires_at),
    revoked_at: record.revoked_at === null ? null : isoTime(record.revoked_at),
  }
}
