import { hashSecret } from '../api-keys/api-key-secret.js'
import type { BillingContext } from '../context.js'
import { ConflictError } from '../errors.js'
import { newId } from '../ids.js'
import type { SessionKind, SessionRecord } from '../ports/index.js'
import { newSessionToken } from './session-token.js'

/** What the session services use of a billing instance's context. */
export type SessionContext = Pick<BillingContext, 'storage' | 'now' | 'logger' | 'sessions'>

/** Who a new session is for, and until when. */
export interface SessionGrant {
  kind: SessionKind
  customer_id: string | null
  api_key_id: string | null
  return_url: string | null
  expires_at: number
}

/**
 * Stores a new session with a freshly minted token and answers both: the token is in this answer
 * only, the store keeps its SHA-256.
 *
 * @example
 * const { token, record } = await openSession(ctx, { kind: 'portal', customer_id: 'cus_1', api_key_id: null, return_url: null, expires_at })
 */
export async function openSession(
  ctx: SessionContext,
  grant: SessionGrant,
): Promise<{ token: string; record: SessionRecord }> {
  const now = ctx.now()
  const token = newSessionToken(grant.kind)
  const record: SessionRecord = {
    id: newId('ses', now),
    hash: hashSecret(token),
    ...grant,
    created_at: now,
    revoked_at: null,
  }
  // 256 random bits and a fresh id: a refusal here means a broken random source, never a retry.
  if (!(await ctx.storage.sessions.insert(record)))
    throw new ConflictError(`session ${record.id} already exists`, { id: record.id, resource: 'session' })
  return { token, record }
}
