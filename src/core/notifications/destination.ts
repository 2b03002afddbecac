import type { Notification } from './types.js'

/**
 * Somewhere notifications go: the handler (`handler`) or one webhook (`webhook:<url>`). The name
 * keys its delivery state in the store, so it must not change between deploys.
 */
export interface Destination {
  readonly name: string
  /** Type patterns it takes (`usage.*`), or null for every type. */
  readonly types: readonly string[] | null
  /** Delivers once; throws {@link DeliveryFailure} (or anything) when it did not. */
  send(notification: Notification, now: number): Promise<void>
}

/**
 * A failed delivery, with a message safe to store as `last_error`: it never holds a secret, a
 * request header or a receiver's response body.
 *
 * @example
 * throw new DeliveryFailure('HTTP 503')
 */
export class DeliveryFailure extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DeliveryFailure'
  }
}

const MAX_ERROR = 500

/**
 * The `last_error` of an attempt: a {@link DeliveryFailure}'s message as is; anything else a
 * handler threw as `handler threw <name>: <message>`, cut to 500 characters.
 *
 * @example
 * failureMessage(new TypeError('boom')) // 'handler threw TypeError: boom'
 */
export function failureMessage(error: unknown): string {
  if (error instanceof DeliveryFailure) return error.message.slice(0, MAX_ERROR)
  const name = error instanceof Error ? error.name : typeof error
  const message = error instanceof Error ? error.message : String(error)
  return `handler threw ${name}: ${message}`.slice(0, MAX_ERROR)
}
