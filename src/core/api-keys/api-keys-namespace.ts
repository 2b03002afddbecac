import type { BillingContext } from '../context.js'
import { ErrorCode, NotFoundError, ValidationError } from '../errors.js'
import { newId } from '../ids.js'
import { type ListQuery, type Page, pageOf, parsePageQuery } from '../paging.js'
import { revokeSessionsOf } from '../sessions/session-revocation.js'
import { parseCreateApiKey } from './api-key-input.js'
import { displayPrefix, hashSecret, newSecret } from './api-key-secret.js'
import { apiKeyView } from './api-key-view.js'
import { type AuthResult, authenticate, keyAuthenticator } from './key-authenticator.js'
import { API_KEY_SCOPES, type ApiKeyScope } from './scopes.js'
import type { ApiKey, CreateApiKeyInput, CreatedApiKey } from './types.js'

/** `billing.apiKeys`: keys for the HTTP API, stored hashed. */
export interface ApiKeysApi {
  /** Makes a key; its `secret` is in this answer only. */
  create(input: CreateApiKeyInput): Promise<CreatedApiKey>
  /** Keys in creation order, without secrets. */
  list(query?: ListQuery): Promise<Page<ApiKey>>
  /**
   * Revokes a key and its dashboard sessions at once in this process (in others within 30 s);
   * revoking again answers it unchanged.
   */
  revoke(id: string): Promise<ApiKey>
  /**
   * Checks an `Authorization` value (`Bearer kbm_sk_…`) or a bare secret for `scope`: answers
   * `{ key }` or `{ error: 'missing' | 'invalid' | 'revoked' | 'expired' | 'forbidden' }`, never
   * throwing for a bad secret. Keys are cached for 30 s; last-used times are written in batches.
   */
  authenticate(authorization: string | null | undefined, scope: ApiKeyScope): Promise<AuthResult>
}

async function create(ctx: BillingContext, input: CreateApiKeyInput): Promise<CreatedApiKey> {
  const now = ctx.now()
  const { name, scopes, expires_at } = parseCreateApiKey(input, now)
  const secret = newSecret()
  const record = {
    id: newId('key', now),
    name,
    scopes,
    prefix: displayPrefix(secret),
    hash: hashSecret(secret),
    created_at: now,
    expires_at,
    last_used_at: null,
    revoked_at: null,
  }
  await ctx.storage.apiKeys.insert(record)
  return { ...apiKeyView(record), secret }
}

async function list(ctx: BillingContext, query?: ListQuery): Promise<Page<ApiKey>> {
  const { limit, after } = parsePageQuery(query)
  const rows = await ctx.storage.apiKeys.list({ limit: limit + 1, ...(after === undefined ? {} : { after }) })
  const page = pageOf(rows, limit, (row) => row.id)
  return { ...page, data: page.data.map(apiKeyView) }
}

async function revoke(ctx: BillingContext, id: string): Promise<ApiKey> {
  const found = typeof id === 'string' ? await ctx.storage.apiKeys.get(id) : null
  if (found === null)
    throw new NotFoundError(`API key ${String(id)} does not exist`, { id, resource: 'api_key' })
  if (found.revoked_at === null) await ctx.storage.apiKeys.revoke(id, ctx.now())
  keyAuthenticator(ctx).forget(id)
  // Its dashboard sessions end with it, also in processes that have the key cached.
  await revokeSessionsOf(ctx, { api_key_id: id })
  const after = await ctx.storage.apiKeys.get(id)
  return apiKeyView(after ?? found)
}

/**
 * The `apiKeys` namespace of a billing instance on `ctx`.
 *
 * @example
 * const { id, secret } = await apiKeysNamespace(ctx).create({ name: 'go-service', scopes: ['events:write'] })
 */
export function apiKeysNamespace(ctx: BillingContext): ApiKeysApi {
  return {
    create: (input) => create(ctx, input),
    list: (query) => list(ctx, query),
    revoke: (id) => revoke(ctx, id),
    authenticate: async (authorization, scope) => {
      if (!(API_KEY_SCOPES as readonly unknown[]).includes(scope))
        throw new ValidationError(
          ErrorCode.INVALID_API_KEY,
          `scope must be one of ${API_KEY_SCOPES.join(', ')}`,
          {
            path: 'scope',
          },
        )
      return authenticate(ctx, authorization ?? '', scope)
    },
  }
}
