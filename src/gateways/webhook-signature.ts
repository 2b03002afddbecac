/**
 * What checking any provider's webhook needs: one header read the same way from Node's and fetch's
 * header shapes, the raw body as bytes, a constant-time comparison, and the body parsed only after
 * its signature held.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { ErrorCode, ValidationError } from '../core/errors.js'
import type { WebhookHeaders } from '../core/payments/gateway-port.js'
import { asRecord, type JsonRecord } from './json-fields.js'
import { parseJsonLossless } from './lossless-json.js'

/**
 * One header's value, by case-insensitive name. A header sent several times is refused (undefined):
 * which copy was signed is unknowable.
 *
 * @example
 * readHeader({ 'x-paystack-signature': 'ab12' }, 'X-Paystack-Signature') // 'ab12'
 * readHeader(new Headers({ 'verif-hash': 's' }), 'verif-hash')            // 's'
 */
export function readHeader(headers: WebhookHeaders, name: string): string | undefined {
  const lower = name.toLowerCase()
  if (headers instanceof Headers) return headers.get(lower) ?? undefined
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (key.toLowerCase() !== lower) continue
    if (Array.isArray(value)) return value.length === 1 ? value[0] : undefined
    return value
  }
  return undefined
}

/**
 * The raw body as bytes, exactly as received: signatures are over bytes, not over re-encoded JSON.
 *
 * @example
 * rawBytes('{"a":1}').length // 7
 */
export function rawBytes(rawBody: string | Uint8Array): Buffer {
  return typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : Buffer.from(rawBody)
}

/**
 * Compares two strings in time independent of where they differ. Both sides are hashed first, so
 * different lengths neither throw (as `timingSafeEqual` would) nor return early.
 *
 * @example
 * constantTimeEqual(received, expected) // true only when identical
 */
export function constantTimeEqual(received: string, expected: string): boolean {
  const a = createHash('sha256').update(received, 'utf8').digest()
  const b = createHash('sha256').update(expected, 'utf8').digest()
  return timingSafeEqual(a, b) && received.length === expected.length
}

/**
 * Parses a webhook body whose signature already held. A body that is not a JSON object throws
 * `ValidationError`: the sender is genuine but the payload is unusable.
 *
 * @example
 * parseWebhookBody(rawBytes(rawBody), 'paystack') // { event: 'charge.success', data: {...} }
 */
export function parseWebhookBody(bytes: Buffer, gateway: string): JsonRecord {
  const body = asRecord(parseJsonLossless(bytes.toString('utf8')))
  if (!body) {
    throw new ValidationError(ErrorCode.VALIDATION_ERROR, `${gateway}: webhook body is not a JSON object`, {
      gateway,
    })
  }
  return body
}
