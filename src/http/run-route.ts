import type { z } from 'zod'
import type { ApiKey } from '../core/api-keys/types.js'
import type { Billing } from '../core/billing.js'
import {
  BillingError,
  ErrorCode,
  NotFoundError,
  ValidationError,
  validationErrorFromZod,
} from '../core/errors.js'
import type { Logger } from '../core/logger.js'
import { errorResponse, jsonResponse } from './error-response.js'
import type { RateLimiter } from './rate-limiter.js'
import { type BodyLimits, readBytes, readJson } from './read-body.js'
import type { AnyRoute } from './route.js'

/** A route with its Hono path and the pattern that recognises its path (for 405 answers). */
export interface CompiledRoute {
  route: AnyRoute
  honoPath: string
  pattern: RegExp
  /** Text after a parameter inside its segment (`.html` of `{id}.html`), removed from the value. */
  suffixes: Record<string, string>
}

/** What every route shares. */
export interface RouteRuntime {
  limits: BodyLimits
  limiter: RateLimiter | null
  logger: Logger
}

const AUTH_MESSAGES = {
  missing: 'send an API key: Authorization: Bearer kbm_sk_…',
  invalid: 'the API key is not valid',
  revoked: 'the API key was revoked',
  expired: 'the API key has expired',
} as const

/**
 * Turns an OpenAPI path (`/v1/invoices/{id}.html`) into Hono's form and a matching pattern.
 *
 * @example
 * compileRoute(route, '/billing').honoPath // '/billing/v1/invoices/:id{[^/]+\\.html}'
 */
export function compileRoute(route: AnyRoute, basePath: string): CompiledRoute {
  const suffixes: Record<string, string> = {}
  const segments = route.path.split('/').map((segment) => {
    const match = /^\{(\w+)\}(.*)$/.exec(segment)
    if (match === null) return { hono: segment, pattern: escapeRegExp(segment) }
    const [, name = '', suffix = ''] = match
    if (suffix === '') return { hono: `:${name}`, pattern: '[^/]+' }
    suffixes[name] = suffix
    return { hono: `:${name}{[^/]+${escapeRegExp(suffix)}}`, pattern: `[^/]+${escapeRegExp(suffix)}` }
  })
  return {
    route,
    honoPath: basePath + segments.map((s) => s.hono).join('/'),
    pattern: new RegExp(`^${escapeRegExp(basePath)}${segments.map((s) => s.pattern).join('/')}$`),
    suffixes,
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, code: ErrorCode, prefix: string): T {
  if (schema === undefined) return {} as T
  const result = schema.safeParse(value)
  if (!result.success) throw validationErrorFromZod(result.error, code, prefix)
  return result.data
}

/** A path parameter that breaks its schema (an id of 10,000 characters) names nothing: 404. */
function parseParams(route: AnyRoute, params: Record<string, string>): unknown {
  if (route.params === undefined) return {}
  const result = route.params.safeParse(params)
  if (result.success) return result.data
  const path = String(result.error.issues[0]?.path[0] ?? '')
  throw new NotFoundError(`nothing has this ${path}`, { path })
}

function queryOf(url: string): Record<string, string> {
  const query: Record<string, string> = {}
  // Most requests have no query: skip parsing their URL.
  if (!url.includes('?')) return query
  for (const [name, value] of new URL(url).searchParams) {
    if (Object.hasOwn(query, name))
      throw new ValidationError(ErrorCode.INVALID_QUERY, `the query names ${name} twice`, { path: name })
    query[name] = value
  }
  return query
}

async function authorize(billing: Billing, route: AnyRoute, request: Request, runtime: RouteRuntime) {
  if (route.scope === null) return null
  const auth = await billing.apiKeys.authenticate(request.headers.get('authorization'), route.scope)
  if ('error' in auth) {
    if (auth.error === 'forbidden')
      throw new BillingError(
        ErrorCode.FORBIDDEN,
        `this route needs an API key with the ${route.scope} scope`,
        {
          scope: route.scope,
        },
      )
    throw new BillingError(ErrorCode.UNAUTHENTICATED, AUTH_MESSAGES[auth.error], {})
  }
  const wait = runtime.limiter?.take(auth.key.id) ?? 0
  if (wait > 0)
    throw new BillingError(ErrorCode.RATE_LIMITED, `too many requests: retry in ${wait} s`, {
      retry_after: wait,
    })
  return auth.key
}

/**
 * The JSON body, or `{}` for a request without any body (a fetch `Request` made without one),
 * whatever its content type. Whether there is a body is asked only once reading failed: on Node.js,
 * asking builds a web stream for the body, the cost `readBytes` avoids.
 */
async function jsonOrAbsent(request: Request, limits: BodyLimits): Promise<unknown> {
  try {
    return await readJson(request, limits)
  } catch (error) {
    if (request.body === null) return {}
    throw error
  }
}

async function bodyOf(
  route: AnyRoute,
  request: Request,
  limits: BodyLimits,
): Promise<{ body: unknown; raw: Uint8Array }> {
  if (route.body === undefined) return { body: undefined, raw: new Uint8Array(0) }
  if (route.body === 'raw') return { body: undefined, raw: await readBytes(request, limits) }
  const empty = request.headers.get('content-type') === null && request.headers.get('content-length') === '0'
  const json = empty ? {} : await jsonOrAbsent(request, limits)
  const fallback = route.operationId === 'ingestEvents' ? ErrorCode.INVALID_BATCH : ErrorCode.VALIDATION_ERROR
  return { body: parse(route.body, json, fallback, ''), raw: new Uint8Array(0) }
}

/**
 * Runs one route: key and scope, rate limit, path parameters, query, body (each validated by the
 * route's schema), then the handler; answers its result as JSON (or the `Response` it made), and
 * anything thrown as the error shape.
 *
 * @example
 * app.on(route.route.method, route.honoPath, (c) => runRoute(billing, route, c.req.raw, c.req.param(), runtime))
 */
export async function runRoute(
  billing: Billing,
  compiled: CompiledRoute,
  request: Request,
  rawParams: Record<string, string>,
  runtime: RouteRuntime,
): Promise<Response> {
  const { route } = compiled
  try {
    const key: ApiKey | null = await authorize(billing, route, request, runtime)
    const trimmed = { ...rawParams }
    for (const [name, suffix] of Object.entries(compiled.suffixes))
      trimmed[name] = (trimmed[name] ?? '').slice(0, -suffix.length)
    const params = parseParams(route, trimmed)
    const query = parse(route.query, queryOf(request.url), ErrorCode.INVALID_QUERY, '')
    const { body, raw } = await bodyOf(route, request, runtime.limits)
    const result = await route.handle(billing, { params, query, body, raw, request, key })
    return result instanceof Response ? result : jsonResponse(result ?? null, route.response.status)
  } catch (error) {
    return errorResponse(error, runtime.logger)
  }
}
