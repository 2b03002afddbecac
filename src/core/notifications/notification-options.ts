import { Webhook } from 'standardwebhooks'
import { type ChurnOptions, type ChurnSettings, parseChurnOptions } from '../churn/churn-settings.js'
import { ErrorCode, ValidationError } from '../errors.js'
import type { Destination } from './destination.js'
import { matchesAnyType } from './type-patterns.js'
import type { Notification } from './types.js'
import { type WebhookEndpoint, webhookDestination } from './webhook-destination.js'

/** `createBilling({ notifications })`: where notifications go and how hard delivery tries. */
export interface NotificationOptions {
  /** Called with each notification at least once, in order per customer; a throw is a failed attempt. */
  handler?: (notification: Notification) => unknown
  /** Webhook endpoints, each its own destination with its own retries. */
  webhooks?: readonly WebhookEndpoint[]
  /** Attempts per destination before a notification is parked as `failed` (default 8). */
  maxAttempts?: number
  /** A webhook request's deadline, answer included (default 10,000 ms). */
  timeoutMs?: number
  /**
   * How long one process owns a notification it is delivering before another may try it (default
   * 60,000 ms). Keep it above `timeoutMs` and the handler's running time.
   */
  leaseMs?: number
  /** The first retry's delay; each next one doubles (default 60,000 ms). */
  retryBaseMs?: number
  /** The longest delay between retries (default 6 hours). */
  retryMaxMs?: number
  /** When `tick` writes `subscription.trial_will_end` and `customer.at_risk`. */
  churn?: ChurnOptions
}

/** The validated delivery settings of one billing instance. */
export interface NotificationSettings {
  readonly destinations: readonly Destination[]
  readonly maxAttempts: number
  readonly leaseMs: number
  readonly retryBaseMs: number
  readonly retryMaxMs: number
  readonly churn: ChurnSettings
}

const invalid = (path: string, message: string) =>
  new ValidationError(ErrorCode.INVALID_OPTIONS, `${path} ${message}`, { path })

// `webhook:` and the URL must fit the stores' 255-character keys.
const MAX_URL = 247

/**
 * Validates `createBilling`'s `notifications` option (typed `INVALID_OPTIONS` errors naming the
 * field, never quoting a secret) and builds its destinations.
 *
 * @example
 * const settings = parseNotificationOptions({ handler: async (n) => console.log(n.type) })
 * settings.destinations.map((d) => d.name) // ['handler']
 */
export function parseNotificationOptions(options: NotificationOptions | undefined): NotificationSettings {
  const o = options ?? {}
  if (typeof o !== 'object' || o === null) throw invalid('notifications', 'must be an object')
  const int = (value: unknown, path: string, fallback: number, min: number, max: number): number => {
    if (value === undefined) return fallback
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max)
      throw invalid(path, `must be an integer from ${min} to ${max}`)
    return value
  }
  const maxAttempts = int(o.maxAttempts, 'notifications.maxAttempts', 8, 1, 100)
  const timeoutMs = int(o.timeoutMs, 'notifications.timeoutMs', 10_000, 1, 600_000)
  const leaseMs = int(o.leaseMs, 'notifications.leaseMs', 60_000, 1, 86_400_000)
  if (leaseMs <= timeoutMs)
    throw invalid('notifications.leaseMs', 'must be longer than notifications.timeoutMs')
  const retryBaseMs = int(o.retryBaseMs, 'notifications.retryBaseMs', 60_000, 0, 86_400_000)
  const retryMaxMs = int(o.retryMaxMs, 'notifications.retryMaxMs', 21_600_000, retryBaseMs, 604_800_000)
  const churn = parseChurnOptions(o.churn)

  const destinations: Destination[] = []
  if (o.handler !== undefined) {
    if (typeof o.handler !== 'function') throw invalid('notifications.handler', 'must be a function')
    const handler = o.handler
    destinations.push(
      Object.freeze({
        name: 'handler',
        types: null,
        send: async (notification: Notification) => {
          await handler(notification)
        },
      }),
    )
  }
  const webhooks = o.webhooks ?? []
  if (!Array.isArray(webhooks)) throw invalid('notifications.webhooks', 'must be an array')
  webhooks.forEach((endpoint: WebhookEndpoint, i) => {
    const path = `notifications.webhooks[${i}]`
    if (typeof endpoint !== 'object' || endpoint === null) throw invalid(path, 'must be an object')
    checkUrl(endpoint.url, `${path}.url`)
    checkSecret(endpoint.secret, `${path}.secret`)
    if (endpoint.types !== undefined) {
      if (!Array.isArray(endpoint.types) || endpoint.types.length === 0)
        throw invalid(`${path}.types`, 'must be a non-empty array of types or patterns such as usage.*')
      endpoint.types.forEach((pattern: unknown, j) => {
        if (typeof pattern !== 'string' || !matchesAnyType(pattern))
          throw invalid(`${path}.types[${j}]`, 'matches no notification type')
      })
    }
    const destination = webhookDestination(endpoint, timeoutMs)
    if (destinations.some((d) => d.name === destination.name)) throw invalid(`${path}.url`, 'is listed twice')
    destinations.push(destination)
  })
  return Object.freeze({
    destinations: Object.freeze(destinations),
    maxAttempts,
    leaseMs,
    retryBaseMs,
    retryMaxMs,
    churn,
  })
}

function checkUrl(url: unknown, path: string): void {
  if (typeof url !== 'string' || url.length > MAX_URL || !URL.canParse(url))
    throw invalid(path, `must be an http or https URL of at most ${MAX_URL} characters`)
  const parsed = new URL(url)
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw invalid(path, 'must be an http or https URL')
  // A password in the URL would be stored as part of the destination's name.
  if (parsed.username !== '' || parsed.password !== '')
    throw invalid(path, 'must not hold a user name or password')
}

function checkSecret(secret: unknown, path: string): void {
  if (typeof secret !== 'string' || !/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret))
    throw invalid(path, "must be 'whsec_' followed by a base64 key")
  try {
    new Webhook(secret)
  } catch {
    throw invalid(path, "must be 'whsec_' followed by a base64 key")
  }
}
