import { Webhook } from 'standardwebhooks'
import type { Destination } from './destination.js'
import { DeliveryFailure } from './destination.js'
import type { Notification } from './types.js'

/** A webhook endpoint as configured: where to POST, the signing secret, which types. */
export interface WebhookEndpoint {
  /** `https://…` (or `http://`); no user name or password in it. */
  url: string
  /** `whsec_` and a base64 key, as Standard Webhooks defines it. */
  secret: string
  /** Type patterns (`usage.*`, `invoice.paid`); every type when omitted. */
  types?: readonly string[]
}

/**
 * A webhook destination: POSTs `{ id, type, created_at, customer_id, data }` as JSON, signed per
 * Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`). Any answer but a 2xx
 * is a failure, a redirect included (it is never followed, so a signed body never reaches a host
 * it was not meant for); the answer's body is discarded unread.
 *
 * @example
 * const hook = webhookDestination({ url: 'https://ops.example.ng/billing', secret: 'whsec_…' }, 10_000)
 * await hook.send(notification, Date.now())
 */
export function webhookDestination(endpoint: WebhookEndpoint, timeoutMs: number): Destination {
  const signer = new Webhook(endpoint.secret)
  const url = endpoint.url
  return Object.freeze({
    name: `webhook:${url}`,
    types: endpoint.types === undefined ? null : Object.freeze([...endpoint.types]),
    async send(notification: Notification, now: number): Promise<void> {
      const body = JSON.stringify(notification)
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'kobometer-webhooks',
        'webhook-id': notification.id,
        'webhook-timestamp': String(Math.floor(now / 1000)),
        'webhook-signature': signer.sign(notification.id, new Date(now), body),
      }
      let response: Response
      try {
        response = await fetch(url, {
          method: 'POST',
          headers,
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        })
      } catch (error) {
        throw new DeliveryFailure(requestFailure(error, timeoutMs))
      }
      await response.body?.cancel().catch(() => undefined)
      if (response.status >= 200 && response.status < 300) return
      if (response.status >= 300 && response.status < 400)
        throw new DeliveryFailure(`redirect refused (HTTP ${response.status})`)
      throw new DeliveryFailure(`HTTP ${response.status}`)
    },
  })
}

// Only names and codes leave here: a fetch error's message may quote the request.
function requestFailure(error: unknown, timeoutMs: number): string {
  const name = error instanceof Error ? error.name : ''
  if (name === 'TimeoutError' || name === 'AbortError') return `timed out after ${timeoutMs} ms`
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined
  const code = typeof cause?.code === 'string' ? cause.code : 'network error'
  return `request failed: ${code}`
}
