import { NotFoundError } from '../errors.js'
import type { SessionKind, SessionOwner, SessionRecord } from '../ports/index.js'
import type { SessionContext } from './open-session.js'
import { sessionResolver } from './session-resolver.js'
import { sessionView } from './session-view.js'
import type { Session } from './types.js'

/**
 * Revokes one session (of `kind`, when given) and drops it from this process's cache: refused here
 * at once, in other processes within their cache TTL. Revoking again answers it unchanged; an
 * unknown id (or one of the other kind) → `NotFoundError`.
 *
 * @example
 * await revokeSessionById(ctx, 'ses_…', 'portal')
 */
export async function revokeSessionById(
  ctx: SessionContext,
  id: string,
  kind?: SessionKind,
): Promise<Session> {
  const found = typeof id === 'string' ? await ctx.storage.sessions.get(id) : null
  if (found === null || (kind !== undefined && found.kind !== kind))
    throw new NotFoundError(`session ${String(id)} does not exist`, { id, resource: 'session' })
  if (found.revoked_at === null) await ctx.storage.sessions.revoke(id, ctx.now())
  sessionResolver(ctx).forget((record) => record.id === id)
  return sessionView((await ctx.storage.sessions.get(id)) ?? found)
}

/**
 * Revokes every session of one API key or one customer and drops them from this process's cache;
 * answers how many were live.
 *
 * @example
 * await revokeSessionsOf(ctx, { api_key_id: 'key_1' }) // 2
 */
export async function revokeSessionsOf(ctx: SessionContext, owner: SessionOwner): Promise<number> {
  const revoked = await ctx.storage.sessions.revokeAll(owner, ctx.now())
  const matches = (record: SessionRecord) =>
    'api_key_id' in owner ? record.api_key_id === owner.api_key_id : record.customer_id === owner.customer_id
  sessionResolver(ctx).forget(matches)
  return revoked
}
