import { z } from 'zod'
import { ErrorCode, ValidationError, validationErrorFromZod } from '../errors.js'
import { safeText } from '../text.js'
import { parseTime } from '../time/time-input.js'
import { API_KEY_SCOPES, type ApiKeyScope } from './scopes.js'

const createSchema = z.strictObject({
  name: safeText(1, 100),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).max(API_KEY_SCOPES.length),
  expires_at: z.unknown().optional(),
})

/** `apiKeys.create` input, checked. */
export interface ApiKeyInput {
  name: string
  scopes: ApiKeyScope[]
  expires_at: number | null
}

/**
 * Checks `apiKeys.create` input: a bad field → `ValidationError` (`INVALID_API_KEY`) with its
 * `path`. Scopes are deduplicated; `expires_at` must be a time after `now`.
 *
 * @example
 * parseCreateApiKey({ name: 'go-service', scopes: ['events:write'] }, now) // { …, expires_at: null }
 */
export function parseCreateApiKey(input: unknown, now: number): ApiKeyInput {
  const parsed = createSchema.safeParse(input)
  if (!parsed.success) throw validationErrorFromZod(parsed.error, ErrorCode.INVALID_API_KEY)
  const { name, scopes, expires_at } = parsed.data
  let expires: number | null = null
  if (expires_at !== undefined) {
    const ms = parseTime(expires_at)
    if (ms === undefined || ms <= now) {
      throw new ValidationError(ErrorCode.INVALID_API_KEY, 'expires_at must be a time in the future', {
        path: 'expires_at',
      })
    }
    expires = ms
  }
  return { name, scopes: [...new Set(scopes)], expires_at: expires }
}
