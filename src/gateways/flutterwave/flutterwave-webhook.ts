/**
 * Flutterwave webhooks. `verif-hash` must equal the secret hash set in the dashboard; when a
 * `flutterwave-signature` header comes too, it must be the base64 HMAC-SHA256 of the raw body keyed
 * with that hash. Two body shapes exist: `{ event: 'charge.completed', data: {...} }` and the flat
 * legacy `{ id, txRef, flwRef, status, amount, currency, 'event.type': 'CARD_TRANSACTION' }`.
 */
import { createHmac } from 'node:crypto'
import { SignatureVerificationError } from '../../core/errors.js'
import type { GatewayWebhookEvent, WebhookHeaders } from '../../core/payments/gateway-port.js'
import { asRecord, readString } from '../json-fields.js'
import { constantTimeEqual, parseWebhookBody, rawBytes, readHeader } from '../webhook-signature.js'
import { toChargeResult } from './flutterwave-mappers.js'

const GATEWAY = 'flutterwave'

/**
 * The `flutterwave-signature` of a body.
 *
 * @example
 * signFlutterwaveBody('{"event":"charge.completed"}', secretHash) // base64 HMAC-SHA256
 */
export function signFlutterwaveBody(rawBody: string | Uint8Array, secretHash: string): string {
  return createHmac('sha256', secretHash).update(rawBytes(rawBody)).digest('base64')
}

/**
 * Verifies and parses a Flutterwave webhook. Throws `SignatureVerificationError` when `verif-hash`
 * is missing or wrong, or a `flutterwave-signature` present does not match the raw body.
 *
 * @example
 * const event = parseFlutterwaveWebhook(req.rawBody, req.headers, secretHash)
 * if (event.type === 'charge' && event.charge.status === 'succeeded') await markPaid(event.charge.reference)
 */
export function parseFlutterwaveWebhook(
  rawBody: string | Uint8Array,
  headers: WebhookHeaders,
  secretHash: string,
): GatewayWebhookEvent {
  const hash = readHeader(headers, 'verif-hash')
  if (hash === undefined || hash === '') {
    throw new SignatureVerificationError(GATEWAY, 'verif-hash header is missing')
  }
  if (!constantTimeEqual(hash, secretHash)) {
    throw new SignatureVerificationError(GATEWAY, 'verif-hash does not match the secret hash')
  }
  const bytes = rawBytes(rawBody)
  const signature = readHeader(headers, 'flutterwave-signature')
  if (signature !== undefined && !constantTimeEqual(signature, signFlutterwaveBody(bytes, secretHash))) {
    throw new SignatureVerificationError(GATEWAY, 'flutterwave-signature does not match the body')
  }
  const body = parseWebhookBody(bytes, GATEWAY)
  const event = readString(body, 'event')
  const data = asRecord(body.data)
  // Current bodies carry `event` and `data`, and Flutterwave's own samples add an `event.type` key
  // beside them: `event` and `data` decide the shape, whatever else the body carries.
  if (event !== undefined && data !== undefined) {
    return event === 'charge.completed'
      ? { type: 'charge', event, charge: toChargeResult(data, { reference: '' }) }
      : { type: 'ignored', event }
  }
  const legacyType = readString(body, 'event.type')
  if (legacyType !== undefined) {
    // The flat shape: the transaction is the body itself, in camelCase.
    return legacyType === 'CARD_TRANSACTION'
      ? { type: 'charge', event: legacyType, charge: toChargeResult(body, { reference: '' }) }
      : { type: 'ignored', event: legacyType }
  }
  return { type: 'ignored', event: event ?? '' }
}
