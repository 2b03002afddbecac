import { z } from 'zod'
import type { AnyRoute } from './route.js'
import { errorSchema } from './schemas/common.js'

/** A JSON Schema object, as the document holds them. */
type JsonSchema = Record<string, unknown>

const ERROR_STATUSES: Record<number, string> = {
  400: 'Malformed request: bad JSON, a duplicate key, a malformed envelope or query',
  401: 'No API key, or one that is unknown, revoked or expired',
  403: 'The key lacks the scope this route needs',
  404: 'No such object',
  409: 'The object is in a state that does not allow this',
  413: 'The body is larger than the limit',
  415: 'The body is not application/json',
  422: 'Well-formed input that breaks a rule',
  429: 'Too many requests for this key: retry after `Retry-After` seconds',
  503: 'The storage is unavailable for a moment: retry',
}

/**
 * JSON Schema of a zod schema as it reads input (before transforms and defaults), with named
 * objects (`.meta({ id })`) collected into `components.schemas` and referred to by `$ref`.
 */
function schemaOf(schema: z.ZodType, components: Record<string, JsonSchema>): JsonSchema {
  const generated = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' })
  const moved = JSON.parse(JSON.stringify(generated).replaceAll('"#/$defs/', '"#/components/schemas/'))
  const { $schema: _, $defs, ...json } = moved as JsonSchema & { $defs?: Record<string, JsonSchema> }
  for (const [id, def] of Object.entries($defs ?? {})) components[id] = def
  const id = z.globalRegistry.get(schema)?.id
  if (typeof id === 'string') {
    components[id] = json
    return { $ref: `#/components/schemas/${id}` }
  }
  return json
}

function parameters(route: AnyRoute, components: Record<string, JsonSchema>): JsonSchema[] {
  const out: JsonSchema[] = []
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (schema === undefined) continue
    const json = schemaOf(schema, components) as {
      properties?: Record<string, JsonSchema>
      required?: string[]
    }
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      const { description, ...rest } = property
      out.push({
        name,
        in: where,
        required: where === 'path' || (json.required ?? []).includes(name),
        ...(typeof description === 'string' ? { description } : {}),
        schema: rest,
      })
    }
  }
  return out
}

function operation(route: AnyRoute, components: Record<string, JsonSchema>): JsonSchema {
  const { response } = route
  const success =
    'schema' in response
      ? {
          description: response.description,
          content: { 'application/json': { schema: schemaOf(response.schema, components) } },
        }
      : {
          description: response.description,
          content: { [response.mediaType]: { schema: { type: 'string' } } },
        }
  const errors: Record<string, JsonSchema> = {}
  const error = { content: { 'application/json': { schema: schemaOf(errorSchema, components) } } }
  for (const [status, description] of Object.entries(ERROR_STATUSES)) {
    if (route.scope === null && (status === '401' || status === '403') && route.body !== 'raw') continue
    errors[status] = { description, ...error }
  }
  const body =
    route.body === undefined
      ? {}
      : route.body === 'raw'
        ? { requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } } }
        : {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: schemaOf(route.body, components) } },
            },
          }
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description === undefined ? {} : { description: route.description }),
    tags: [route.tag],
    ...(route.scope === null ? { security: [] } : { 'x-kobometer-scope': route.scope }),
    parameters: parameters(route, components),
    ...body,
    responses: { [String(response.status)]: success, ...errors },
  }
}

/**
 * The OpenAPI 3.1 document of a route table, generated from the same zod schemas that validate
 * each route's parameters, query and body.
 *
 * @example
 * const doc = openApiDocument(routes, { title: 'kobometer', version: '0.1.0' })
 */
export function openApiDocument(
  routes: readonly AnyRoute[],
  info: { title: string; version: string; basePath: string },
) {
  const components: Record<string, JsonSchema> = {}
  const paths: Record<string, Record<string, JsonSchema>> = {}
  for (const route of routes) {
    const item = paths[route.path] ?? {}
    item[route.method.toLowerCase()] = operation(route, components)
    paths[route.path] = item
  }
  return {
    openapi: '3.1.0',
    info: {
      title: info.title,
      version: info.version,
      description:
        'Usage metering, entitlements and billing. Authenticate with `Authorization: Bearer kbm_sk_…`; each operation names the scope its key needs in `x-kobometer-scope` (`admin` implies every scope). Amounts are integers in minor units (kobo for NGN).',
    },
    servers: [{ url: info.basePath === '' ? '/' : info.basePath }],
    security: [{ apiKey: [] }],
    paths,
    components: {
      schemas: components,
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: kbm_sk_…' } },
    },
  }
}
