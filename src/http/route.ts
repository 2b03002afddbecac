import type { z } from 'zod'
import type { ApiKeyScope } from '../core/api-keys/scopes.js'
import type { ApiKey } from '../core/api-keys/types.js'
import type { Billing } from '../core/billing.js'

/** What a route's handler receives: the request's parts, each already validated by its schema. */
export interface RouteInput<P, Q, B> {
  params: P
  query: Q
  body: B
  /** The body's bytes, for routes that declare `body: 'raw'` (gateway webhooks); else empty. */
  raw: Uint8Array
  request: Request
  /** The key that authorized the request; null on routes without a scope. */
  key: ApiKey | null
}

/** How a route answers, for the OpenAPI document: a JSON schema or another media type. */
export type RouteResponse =
  | { status: number; description: string; schema: z.ZodType }
  | { status: number; description: string; mediaType: string }

/**
 * One HTTP route: its method and path, the scope an API key needs, the zod schemas its path
 * parameters, query and body are validated with (and the OpenAPI document is generated from), and
 * a handler that translates the request into one call of the public `Billing` API.
 */
export interface Route<P = unknown, Q = unknown, B = unknown> {
  method: 'GET' | 'POST' | 'DELETE'
  /** OpenAPI form: `/v1/customers/{id}`. */
  path: string
  operationId: string
  summary: string
  tag: string
  /** The scope an API key needs; null for routes that authenticate otherwise (webhooks) or not at all. */
  scope: ApiKeyScope | null
  params?: z.ZodType<P>
  query?: z.ZodType<Q>
  /** A JSON body's schema, or `'raw'` to keep the bytes untouched (signatures are computed on them). */
  body?: z.ZodType<B> | 'raw'
  /** Text for the document where the schema alone does not say enough. */
  description?: string
  response: RouteResponse
  handle(billing: Billing, input: RouteInput<P, Q, B>): Promise<unknown>
}

/** A route of any shape, as route tables hold them. */
// biome-ignore lint/suspicious/noExplicitAny: a table mixes routes of different shapes; each is checked where it is defined.
export type AnyRoute = Route<any, any, any>

/**
 * Defines a route, inferring the handler's input types from its schemas.
 *
 * @example
 * defineRoute({
 *   method: 'GET', path: '/v1/customers/{id}', operationId: 'getCustomer', summary: 'A customer', tag: 'Customers',
 *   scope: 'billing:read', params: z.object({ id: z.string() }),
 *   response: { status: 200, description: 'The customer', schema: customerSchema },
 *   handle: (billing, { params }) => billing.customers.get(params.id),
 * })
 */
export function defineRoute<P = Record<string, never>, Q = Record<string, never>, B = undefined>(
  route: Route<P, Q, B>,
): Route<P, Q, B> {
  return route
}
