import type { IncomingMessage, ServerResponse } from 'node:http'
import { getRequestListener } from '@hono/node-server'
import { Hono } from 'hono'
import { cors } from 'hono/cors'
import type { Billing } from '../core/billing.js'
import { BillingError, ErrorCode, ValidationError } from '../core/errors.js'
import { type Logger, safeLogger, silentLogger } from '../core/logger.js'
import type { DashboardOptions } from '../dashboard/dashboard-options.js'
import { mountDashboard } from '../dashboard/mount-dashboard.js'
import { docsPage, docsScript } from './docs-page.js'
import { errorResponse, jsonResponse } from './error-response.js'
import { openApiDocument } from './openapi.js'
import { type RateLimit, RateLimiter } from './rate-limiter.js'
import type { BodyLimits } from './read-body.js'
import { apiRoutes } from './routes/index.js'
import { type CompiledRoute, compileRoute, runRoute } from './run-route.js'

/** What `createHttpApi` takes. */
export interface HttpApiOptions {
  /** Where the API is mounted when the framework does not strip the prefix (Next.js, Fastify): `'/billing'`. Default `''`. */
  basePath?: string
  /** Largest request body in bytes (default 1 MiB); larger → 413, never buffered past the limit. */
  maxBodyBytes?: number
  /** The whole body must arrive within this many ms (default 10,000); slower → 408. */
  bodyTimeoutMs?: number
  /** Deepest JSON nesting accepted (default 64). */
  maxJsonDepth?: number
  /** Requests per API key, in this process (default 1,000/s with bursts of 2,000); `false` turns it off. */
  rateLimit?: RateLimit | false
  /** CORS for browsers calling the API directly: off unless given. */
  cors?: { origins: string[]; maxAgeSeconds?: number }
  /** Serve the API reference at `/v1/docs` (default true). The OpenAPI document is always served. */
  docs?: boolean
  /** Receives 5xx failures (default: billing's own logs only). */
  logger?: Logger
  /**
   * Serve the operator dashboard and the customer portal under `/dashboard` (default false):
   * `true`, or options (checkout links, who may frame the portal, how often pages refresh).
   */
  dashboard?: boolean | DashboardOptions
}

/** A fetch-standard handler for the HTTP API, and the same handler as a Node.js request listener. */
export interface HttpApi {
  /** Answers one request: `Bun.serve({ fetch: api.fetch })`, `export const POST = api.fetch`, `app.mount('/', api.fetch)`. */
  fetch(request: Request): Promise<Response>
  /** For `http.createServer(api.nodeListener)` and Express's `app.use('/billing', api.nodeListener)`. */
  nodeListener(request: IncomingMessage, response: ServerResponse): void
  /** The OpenAPI 3.1 document, as `GET /v1/openapi.json` serves it. */
  openApiDocument(): Record<string, unknown>
  /** Every API route: method and path (OpenAPI form, without `basePath`); the dashboard's pages aside. */
  routes: ReadonlyArray<{ method: string; path: string }>
  /** Stops the dashboard's live polls (open pages stop updating); the handler keeps answering. */
  close(): void
}

const DEFAULTS = { maxBodyBytes: 1_048_576, bodyTimeoutMs: 10_000, maxJsonDepth: 64 }
const DEFAULT_RATE: RateLimit = { perSecond: 1000, burst: 2000 }

/**
 * The HTTP API of a billing instance: routes under `/v1` for events, usage, entitlements,
 * customers, plans, subscriptions, invoices, payments, notifications, alerts and the gateways'
 * webhooks, each a thin translation into one call of the public API; API keys with scopes;
 * `GET /v1/openapi.json` generated from the schemas that validate the requests; the API reference
 * at `/v1/docs`.
 *
 * @example
 * import { createServer } from 'node:http'
 * import { createHttpApi } from 'kobometer/http'
 * const api = createHttpApi(billing)
 * createServer(api.nodeListener).listen(8080)
 * const { secret } = await billing.apiKeys.create({ name: 'go-service', scopes: ['events:write'] })
 */
export function createHttpApi(billing: Billing, options: HttpApiOptions = {}): HttpApi {
  const basePath = normalizeBase(options.basePath)
  const logger = options.logger === undefined ? silentLogger : safeLogger(options.logger)
  if (logger === null)
    throw new ValidationError(
      ErrorCode.INVALID_OPTIONS,
      'logger must have debug, info, warn and error methods',
      {
        path: 'logger',
      },
    )
  const limits: BodyLimits = {
    maxBytes: positive(options.maxBodyBytes, DEFAULTS.maxBodyBytes, 'maxBodyBytes'),
    timeoutMs: positive(options.bodyTimeoutMs, DEFAULTS.bodyTimeoutMs, 'bodyTimeoutMs'),
    maxDepth: positive(options.maxJsonDepth, DEFAULTS.maxJsonDepth, 'maxJsonDepth'),
  }
  const rateLimit = options.rateLimit === false ? null : (options.rateLimit ?? DEFAULT_RATE)
  if (rateLimit !== null) positive(rateLimit.perSecond, 1, 'rateLimit.perSecond')
  const limiter = rateLimit === null ? null : new RateLimiter(rateLimit, Date.now)
  const runtime = { limits, limiter, logger }
  const compiled = apiRoutes.map((route) => compileRoute(route, basePath))
  let document: Record<string, unknown> | undefined
  const openApi = () => {
    document ??= openApiDocument(apiRoutes, { title: 'kobometer', version: '1', basePath })
    return document
  }

  const app = new Hono({ strict: true })
  if (options.cors !== undefined)
    app.use(
      `${basePath}/v1/*`,
      cors({
        origin: options.cors.origins,
        allowHeaders: ['authorization', 'content-type'],
        allowMethods: ['GET', 'POST', 'DELETE'],
        maxAge: options.cors.maxAgeSeconds ?? 600,
      }),
    )
  app.get(`${basePath}/v1/openapi.json`, () => jsonResponse(openApi(), 200, { 'cache-control': 'no-cache' }))
  if (options.docs !== false) {
    app.get(`${basePath}/v1/docs`, () =>
      docsPage(`${basePath}/v1/openapi.json`, `${basePath}/v1/docs/scalar.js`),
    )
    app.get(
      `${basePath}/v1/docs/scalar.js`,
      async (c) => (await docsScript(c.req.raw)) ?? notFound(c.req.raw, compiled),
    )
  }
  for (const route of compiled)
    app.on(route.route.method, route.honoPath, (c) =>
      runRoute(billing, route, c.req.raw, c.req.param(), runtime),
    )
  const dashboard = options.dashboard ?? false
  const stopDashboard =
    dashboard === false
      ? () => {}
      : mountDashboard(app, billing, basePath, dashboard === true ? {} : dashboard, logger)
  app.notFound((c) => notFound(c.req.raw, compiled))
  app.onError((error) => errorResponse(error, logger))

  const fetch = async (request: Request): Promise<Response> => {
    try {
      return await app.fetch(request)
    } catch (error) {
      return errorResponse(error, logger)
    }
  }
  const listener = getRequestListener(fetch, {
    overrideGlobalObjects: false,
    errorHandler: (error) => errorResponse(error, logger),
  })
  return {
    fetch,
    nodeListener: (request, response) => {
      listener(request, response).catch((error: unknown) =>
        logger.error('http response failed', { error: String(error) }),
      )
    },
    openApiDocument: openApi,
    routes: servedRoutes(app, compiled, basePath),
    close: stopDashboard,
  }
}

/**
 * The routes the router really serves (not the table they came from), in OpenAPI form: a route
 * registered on the router without a schema shows up here and not in the document.
 */
function servedRoutes(app: Hono, compiled: readonly CompiledRoute[], basePath: string) {
  const meta = new Set(['/v1/openapi.json', '/v1/docs', '/v1/docs/scalar.js'].map((path) => basePath + path))
  const byHonoPath = new Map(compiled.map((c) => [c.honoPath, c.route.path]))
  return app.routes
    .filter(
      (route) =>
        route.method !== 'ALL' && !meta.has(route.path) && !route.path.startsWith(`${basePath}/dashboard`),
    )
    .map((route) => ({ method: route.method, path: byHonoPath.get(route.path) ?? route.path }))
}

function notFound(request: Request, routes: readonly CompiledRoute[]): Response {
  const path = new URL(request.url).pathname
  const allowed = routes.filter((route) => route.pattern.test(path)).map((route) => route.route.method)
  if (allowed.length === 0)
    return errorResponse(
      new BillingError(ErrorCode.ROUTE_NOT_FOUND, `no route ${request.method} ${path}`, {}),
      silentLogger,
    )
  return errorResponse(
    new BillingError(
      ErrorCode.METHOD_NOT_ALLOWED,
      `${path} takes ${allowed.join(', ')}, not ${request.method}`,
      {},
    ),
    silentLogger,
    { allow: [...new Set(allowed)].join(', ') },
  )
}

function normalizeBase(base: string | undefined): string {
  if (base === undefined || base === '' || base === '/') return ''
  if (!/^\/[A-Za-z0-9._~/-]*$/.test(base))
    throw new ValidationError(ErrorCode.INVALID_OPTIONS, 'basePath must be a path such as /billing', {
      path: 'basePath',
    })
  return base.replace(/\/+$/, '')
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new ValidationError(ErrorCode.INVALID_OPTIONS, `${name} must be a positive integer`, { path: name })
  return value
}
