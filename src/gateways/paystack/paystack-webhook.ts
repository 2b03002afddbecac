/**
 * Paystack webhooks: `x-paystack-signature` is the hex HMAC-SHA512 of the raw body keyed with the
 * secret key. Only `charge.success` and `refund.*` mean anything to billing; Paystack sends no
 * `charge.failed` (failures come from the charge answer or verify).
 */
import { createHmac } from 'node:crypto'
import { SignatureVerificationError } from '../../core/errors.js'
import type { GatewayWebhookEvent, WebhookHeaders } from '../../core/payments/gateway-port.js'
import { asRecord, readId, readMinor, readString } from '../json-fields.js'
import { constantTimeEqual, parseWebhookBody, rawBytes, readHeader } from '../webhook-signature.js'
import { refundStatus, toChargeResult } from './paystack-mappers.js'

const GATEWAY = 'paystack'
const SIGNATURE_HEADER = 'x-paystack-signature'

/**
 * The signature Paystack puts on a body.
 *
 * @example
 * signPaystackBody('{"event":"charge.success"}', 'sk_test_…') // 128 hex digits
 */
export function signPaystackBody(rawBody: string | Uint8Array, secretKey: string): string {
  return createHmac('sha512', secretKey).update(rawBytes(rawBody)).digest('hex')
}

/**
 * Verifies and parses a Paystack webhook. Throws `SignatureVerificationError` when the signature is
 * missing or does not match the exact raw body.
 *
 * @example
 * const event = parsePaystackWebhook(req.rawBody, req.headers, secretKey)
 * if (event.type === 'charge') await markPaid(event.charge.reference)
 */
export function parsePaystackWebhook(
  rawBody: string | Uint8Array,
  headers: WebhookHeaders,
  secretKey: string,
): GatewayWebhookEvent {
  const received = readHeader(headers, SIGNATURE_HEADER)
  if (received === undefined || received === '') {
    throw new SignatureVerificationError(GATEWAY, `${SIGNATURE_HEADER} header is missing`)
  }
  const bytes = rawBytes(rawBody)
  if (!constantTimeEqual(received.toLowerCase(), signPaystackBody(bytes, secretKey))) {
    throw new SignatureVerificationError(GATEWAY, `${SIGNATURE_HEADER} does not match the body`)
  }
  const body = parseWebhookBody(bytes, GATEWAY)
  const event = readString(body, 'event') ?? ''
  const data = asRecord(body.data)
  if (event === 'charge.success') {
    return { type: 'charge', event, charge: toChargeResult(data, { reference: '' }) }
  }
  if (event.startsWith('refund.')) {
    const transaction = asRecord(data?.transaction)
    return {
      type: 'refund',
      event,
      reference: readString(data, 'transaction_reference') ?? readString(transaction, 'reference') ?? '',
      refund_id: readId(data, 'id'),
      status: refundStatus(readString(data, 'status') ?? event.slice('refund.'.length)),
      amount: readMinor(data, 'amount') ?? null,
    }
  }
  return { type: 'ignored', event }
}
