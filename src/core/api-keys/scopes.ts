/**
 * What an API key may do. `admin` implies every other scope.
 *
 * @example
 * API_KEY_SCOPES.includes('events:write') // true
 */
export const API_KEY_SCOPES = Object.freeze([
  'events:write',
  'usage:read',
  'billing:read',
  'billing:write',
  'admin',
] as const)

/** One of {@link API_KEY_SCOPES}. */
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number]
