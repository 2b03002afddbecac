import type { AuthFailure } from '../api-keys/key-authenticator.js'
import type { ListQuery } from '../paging.js'
import type { SessionKind } from '../ports/index.js'

export type { SessionKind } from '../ports/index.js'

/** A session as `list` and `revoke` return it: never its token. */
export interface Session {
  /** `ses_…`. */
  id: string
  kind: SessionKind
  /** The only customer a portal session may read; null for an operator session. */
  customer_id: string | null
  /** The API key an operator signed in with; null for a portal session. */
  api_key_id: string | null
  /** Where the portal links back to, or null. */
  return_url: string | null
  created_at: string
  expires_at: string
  revoked_at: string | null
}

/** A live session as `sessions.verify` answers it, with the CSRF token its forms must carry. */
export interface VerifiedSession extends Session {
  /** Put in every form (a hidden field) and check with `sessions.verifyCsrf` on every POST. */
  csrf_token: string
}

/** What `sessions.signIn` takes. */
export interface SignInInput {
  /** The secret of an API key with the `admin` scope (`kbm_sk_…`, bare or as `Bearer …`). */
  api_key_secret: string
}

/** What `sessions.signIn` answers for an `admin` key: a new session, its token shown this once. */
export interface SignedIn {
  /** The session token: the value of the `kbm_session` cookie (see `sessionCookie`). Never stored. */
  token: string
  session: VerifiedSession
}

/** What `sessions.signIn` answers: the new session, or why the key was refused. */
export type SignInResult = SignedIn | { error: AuthFailure }

/** What `sessions.verify` takes. */
export interface VerifyInput {
  /** The token the browser presented (the cookie's value, or the portal link's last segment). */
  token: string | null | undefined
  /** The kind the page needs: a token of the other kind never verifies. */
  kind: SessionKind
  /** For a portal page of one customer: a session of any other customer never verifies. */
  customer_id?: string
}

/** What `sessions.list` takes: a page, narrowed by kind, customer, or to live sessions. */
export interface SessionListQuery extends ListQuery {
  kind?: SessionKind
  customer_id?: string
  /** Only sessions neither revoked nor expired (default false: every stored session). */
  live?: boolean
}

/** Whose sessions `sessions.revokeAll` revokes. */
export type SessionOwnerInput = { api_key_id: string } | { customer_id: string }

/** What `portal.createSession` takes. */
export interface PortalSessionInput {
  /** The customer the portal shows; it must exist. It can read nothing of any other customer. */
  customer_id: string
  /** How long the link works: 60,000 (1 minute) to 2,592,000,000 (30 days); default 3,600,000 (1 hour). */
  expires_in_ms?: number
  /** An absolute http(s) URL the portal links back to (the host's own account page). */
  return_url?: string
}

/** What `portal.createSession` answers: a link for one customer, shown this once. */
export interface PortalSession {
  /** `ses_…`: pass to `portal.revokeSession`. */
  id: string
  customer_id: string
  /** `<portal base URL>/portal/<token>`: link to it or embed it; whoever holds it sees the customer's portal. */
  url: string
  expires_at: string
}
