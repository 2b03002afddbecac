import { hashSecret } from '../api-keys/api-key-secret.js'
import { authenticate } from '../api-keys/key-authenticator.js'
import { ErrorCode, ValidationError } from '../errors.js'
import { type Page, pageOf, parsePageQuery } from '../paging.js'
import type { SessionKind, SessionOwner, SessionRecord } from '../ports/index.js'
import { openSession, type SessionContext } from './open-session.js'
import { sessionResolver } from './session-resolver.js'
import { revokeSessionById, revokeSessionsOf } from './session-revocation.js'
import { csrfTokenOf, isSessionTokenShaped, sameSecret } from './session-token.js'
import { sessionView } from './session-view.js'
import type {
  Session,
  SessionListQuery,
  SessionOwnerInput,
  SignInInput,
  SignInResult,
  VerifiedSession,
  VerifyInput,
} from './types.js'

/** `billing.sessions`: dashboard sign-in with an `admin` API key, and the checks of every session. */
export interface SessionsApi {
  /**
   * Signs an operator in with the secret of an `admin` API key: a new operator session (12 hours
   * by default, never past the key's own expiry) with a token minted here, or the key's refusal
   * (`{ error }`, as `apiKeys.authenticate` answers), never throwing for a bad secret.
   */
  signIn(input: SignInInput): Promise<SignInResult>
  /**
   * The live session of a presented token, with its CSRF token, or null: unknown, expired, revoked,
   * of the other kind, of another customer, or (operator) whose API key is revoked, expired or no
   * longer `admin`. Sessions are cached 30 s: a revocation by this process counts at once, by
   * another within 30 s.
   */
  verify(input: VerifyInput): Promise<VerifiedSession | null>
  /** Whether `csrf_token` (from a submitted form) is the CSRF token of `session`, in constant time. */
  verifyCsrf(session: VerifiedSession, csrf_token: unknown): Promise<boolean>
  /** Revokes the session of a presented token (sign-out); an unknown token does nothing. */
  signOut(token: string | null | undefined): Promise<void>
  /** Revokes a session by id; revoking again answers it unchanged. Unknown → `NotFoundError`. */
  revoke(id: string): Promise<Session>
  /** Revokes every session of one API key or one customer; answers how many were live. */
  revokeAll(owner: SessionOwnerInput): Promise<{ revoked: number }>
  /** Sessions in creation order, without tokens: narrowed by kind, customer, or to live ones. */
  list(query?: SessionListQuery): Promise<Page<Session>>
  /** Deletes the sessions that have expired; answers how many. Run it now and then (daily is plenty). */
  purgeExpired(): Promise<{ deleted: number }>
}

const invalid = (path: string, message: string) =>
  new ValidationError(ErrorCode.INVALID_SESSION, message, { path })

function kindOf(value: unknown, path = 'kind'): SessionKind {
  if (value !== 'operator' && value !== 'portal') throw invalid(path, "must be 'operator' or 'portal'")
  return value
}

function idText(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '' || value.length > 255)
    throw invalid(path, 'must be an id of 1 to 255 characters')
  return value
}

function ownerOf(input: unknown): SessionOwner {
  const owner = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>
  const keys = Object.keys(owner)
  if (keys.length === 1 && keys[0] === 'api_key_id')
    return { api_key_id: idText(owner.api_key_id, 'api_key_id') }
  if (keys.length === 1 && keys[0] === 'customer_id')
    return { customer_id: idText(owner.customer_id, 'customer_id') }
  throw invalid('', 'must be { api_key_id } or { customer_id }')
}

async function signIn(ctx: SessionContext, input: SignInInput): Promise<SignInResult> {
  const secret = typeof input === 'object' && input !== null ? input.api_key_secret : undefined
  const auth = await authenticate(ctx, typeof secret === 'string' ? secret : '', 'admin')
  if ('error' in auth) return auth
  const now = ctx.now()
  const keyEnds = auth.key.expires_at === null ? Number.POSITIVE_INFINITY : Date.parse(auth.key.expires_at)
  const { token, record } = await openSession(ctx, {
    kind: 'operator',
    customer_id: null,
    api_key_id: auth.key.id,
    return_url: null,
    expires_at: Math.min(now + ctx.sessions.operatorTtlMs, keyEnds),
  })
  return { token, session: { ...sessionView(record), csrf_token: csrfTokenOf(token) } }
}

function verify(ctx: SessionContext, input: VerifyInput): Promise<VerifiedSession | null> {
  const given = (typeof input === 'object' && input !== null ? input : {}) as Partial<VerifyInput>
  const kind = kindOf(given.kind)
  const customerId = given.customer_id === undefined ? undefined : idText(given.customer_id, 'customer_id')
  return sessionResolver(ctx).resolve(given.token, kind, customerId)
}

async function signOut(ctx: SessionContext, token: unknown): Promise<void> {
  if (!isSessionTokenShaped(token, 'operator') && !isSessionTokenShaped(token, 'portal')) return
  // Straight from storage, not through the checks: a session whose key was revoked still ends.
  const found = await ctx.storage.sessions.findByHash(hashSecret(token))
  if (found !== null) await revokeSessionById(ctx, found.id)
}

async function list(ctx: SessionContext, query: SessionListQuery = {}): Promise<Page<Session>> {
  const { limit, after } = parsePageQuery(query)
  const rows: SessionRecord[] = await ctx.storage.sessions.list({
    limit: limit + 1,
    ...(after === undefined ? {} : { after }),
    ...(query.kind === undefined ? {} : { kind: kindOf(query.kind) }),
    ...(query.customer_id === undefined ? {} : { customer_id: idText(query.customer_id, 'customer_id') }),
    ...(query.live === true ? { live_at: ctx.now() } : {}),
  })
  const page = pageOf(rows, limit, (row) => row.id)
  return { ...page, data: page.data.map(sessionView) }
}

/**
 * The `sessions` namespace of a billing instance on `ctx`.
 *
 * @example
 * const signed = await sessionsNamespace(ctx).signIn({ api_key_secret: 'kbm_sk_…' })
 */
export function sessionsNamespace(ctx: SessionContext): SessionsApi {
  return {
    signIn: (input) => signIn(ctx, input),
    verify: (input) => verify(ctx, input),
    verifyCsrf: async (session, csrfToken) =>
      typeof session?.csrf_token === 'string' && sameSecret(session.csrf_token, csrfToken),
    signOut: (token) => signOut(ctx, token),
    revoke: (id) => revokeSessionById(ctx, id),
    revokeAll: async (owner) => ({ revoked: await revokeSessionsOf(ctx, ownerOf(owner)) }),
    list: (query) => list(ctx, query),
    purgeExpired: async () => ({ deleted: await ctx.storage.sessions.deleteExpired(ctx.now()) }),
  }
}
