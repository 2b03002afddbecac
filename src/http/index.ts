/**
 * `kobometer/http`: the HTTP API of a billing instance, as a fetch-standard handler and a Node.js
 * request listener.
 *
 * @packageDocumentation
 */

export type { DashboardOptions } from '../dashboard/dashboard-options.js'
export type { ErrorBody } from './error-response.js'
export { createHttpApi, type HttpApi, type HttpApiOptions } from './http-api.js'
export type { RateLimit } from './rate-limiter.js'
export { parseStrictJson } from './strict-json.js'
