import { timingSafeEqual } from 'node:crypto'
import { Webhook } from 'standardwebhooks'
import { ErrorCode, SignatureVerificationError, ValidationError } from '../core/errors.js'
import type { Notification } from '../core/notifications/types.js'

/** Request headers as `node:http` (`req.headers`) or the fetch standard (`request.headers`) holds them. */
export type WebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>

/** How strictly `verifyWebhook` checks the timestamp. */
export interface VerifyWebhookOptions {
  /** The receiver's time (default: the system clock). */
  now?: Date | number
  /** How far `webhook-timestamp` may be from `now`, either way (default 300 s). */
  toleranceSeconds?: number
}

const SOURCE = 'webhook'

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>
  const key = Object.keys(record).find((k) => k.toLowerCase() === name)
  const value = key === undefined ? undefined : record[key]
  return typeof value === 'string' ? value : value?.[0]
}

function signer(secret: string): Webhook {
  try {
    if (typeof secret !== 'string' || !secret.startsWith('whsec_')) throw new TypeError('prefix')
    return new Webhook(secret)
  } catch {
    throw new ValidationError(
      ErrorCode.VALIDATION_ERROR,
      "secret must be 'whsec_' followed by a base64 key",
      {
        path: 'secret',
      },
    )
  }
}

/**
 * Checks a kobometer webhook the way Standard Webhooks defines it (HMAC-SHA256 of
 * `id.timestamp.body` with the endpoint's secret, compared in constant time, timestamp within five
 * minutes) and returns the notification it carries. Pass the body exactly as received, before any
 * JSON parsing. Throws `SignatureVerificationError` when a header is missing, the timestamp is out
 * of tolerance or no signature matches; receivers dedupe by the returned `id`.
 *
 * @example
 * import { verifyWebhook } from 'kobometer/webhooks'
 * const notification = verifyWebhook(rawBody, req.headers, process.env.KOBOMETER_WEBHOOK_SECRET!)
 * if (notification.type === 'invoice.paid') markPaid(notification.data)
 */
export function verifyWebhook(
  rawBody: string | Uint8Array,
  headers: WebhookHeaders,
  secret: string,
  options: VerifyWebhookOptions = {},
): Notification {
  const webhook = signer(secret)
  const id = header(headers, 'webhook-id')
  const timestamp = header(headers, 'webhook-timestamp')
  const signatures = header(headers, 'webhook-signature')
  if (!id || !timestamp || !signatures)
    throw new SignatureVerificationError(
      SOURCE,
      'webhook-id, webhook-timestamp and webhook-signature are required',
    )
  if (!/^\d{1,15}$/.test(timestamp))
    throw new SignatureVerificationError(SOURCE, 'webhook-timestamp is not a Unix time in seconds')
  const nowMs = options.now === undefined ? Date.now() : new Date(options.now).getTime()
  const tolerance = options.toleranceSeconds ?? 300
  const seconds = Number(timestamp)
  if (Math.abs(Math.floor(nowMs / 1000) - seconds) > tolerance)
    throw new SignatureVerificationError(SOURCE, `webhook-timestamp is more than ${tolerance} s from now`)
  const body = typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody)
  const expected = Buffer.from(webhook.sign(id, new Date(seconds * 1000), body))
  const matched = signatures.split(' ').some((candidate) => {
    const given = Buffer.from(candidate)
    return given.length === expected.length && timingSafeEqual(given, expected)
  })
  if (!matched) throw new SignatureVerificationError(SOURCE, 'webhook-signature does not match the body')
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    throw new ValidationError(ErrorCode.VALIDATION_ERROR, 'the signed body is not JSON', { path: 'body' })
  }
  const n = parsed as Partial<Notification> | null
  if (n === null || typeof n !== 'object' || n.id !== id || typeof n.type !== 'string')
    throw new SignatureVerificationError(SOURCE, 'the signed body is not the notification webhook-id names')
  return n as Notification
}

/**
 * The headers kobometer sends with a webhook, for a body: to test a receiver without a billing
 * instance.
 *
 * @example
 * const headers = signWebhook(JSON.stringify(notification), notification.id, secret, new Date())
 * verifyWebhook(JSON.stringify(notification), headers, secret) // the notification
 */
export function signWebhook(
  rawBody: string,
  id: string,
  secret: string,
  at: Date | number = Date.now(),
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  const time = new Date(at)
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(time.getTime() / 1000)),
    'webhook-signature': signer(secret).sign(id, time, rawBody),
  }
}
