import type { TimeInput } from '../time/time-input.js'
import type { ApiKeyScope } from './scopes.js'

/** What `apiKeys.create` takes. */
export interface CreateApiKeyInput {
  /** A label for people: 1 to 100 characters. */
  name: string
  /** At least one; `admin` implies every scope. */
  scopes: ApiKeyScope[]
  /** When the key stops working (ISO-8601 with a zone, a `Date` or epoch ms); never by default. */
  expires_at?: TimeInput
}

/** An API key as `apiKeys.list` and `apiKeys.revoke` return it: never its secret. */
export interface ApiKey {
  /** `key_…`. */
  id: string
  name: string
  scopes: ApiKeyScope[]
  /** The secret's first characters (`kbm_sk_AbCd`), to tell keys apart. */
  prefix: string
  created_at: string
  expires_at: string | null
  /** The latest use recorded (recorded in batches, so up to a flush interval late), or null. */
  last_used_at: string | null
  revoked_at: string | null
}

/** What `apiKeys.create` returns: the key and its secret, shown this once and never stored. */
export interface CreatedApiKey extends ApiKey {
  /** `kbm_sk_` and 43 base64url characters: send as `Authorization: Bearer <secret>`. */
  secret: string
}
