/**
 * Flutterwave's transaction and refund objects in the port's terms: major-unit amounts become
 * integer minor units, numeric ids become strings.
 */
import type {
  AuthorizationResult,
  ChargeResult,
  ChargeStatus,
  RefundResult,
} from '../../core/payments/gateway-port.js'
import { asRecord, type JsonRecord, readId, readString } from '../json-fields.js'
import { readFlutterwaveAmount } from './flutterwave-amounts.js'

/**
 * A Flutterwave transaction status in the port's terms. An unfamiliar status is pending: the caller
 * verifies again rather than assuming an outcome.
 *
 * @example
 * chargeStatus('successful') // 'succeeded'
 * chargeStatus('failed')     // 'failed'
 * chargeStatus('pending')    // 'pending'
 */
export function chargeStatus(status: string | undefined): ChargeStatus {
  const s = status?.toLowerCase()
  if (s === 'successful' || s === 'success') return 'succeeded'
  return s === 'failed' || s === 'cancelled' ? 'failed' : 'pending'
}

/**
 * A transaction (`data` of a tokenized charge, of verify, or of a `charge.completed` webhook) as a
 * ChargeResult. `fallback` fills what a sparse answer leaves out.
 *
 * @example
 * toChargeResult({ id: 277036749, tx_ref: 'inv_1-1', amount: 1234.5, currency: 'NGN', status: 'successful', processor_response: 'APPROVED' }, { reference: 'inv_1-1' })
 * // { reference: 'inv_1-1', status: 'succeeded', amount: 123450, currency: 'NGN', gateway_id: '277036749', message: 'APPROVED', redirect_url: null }
 */
export function toChargeResult(
  data: JsonRecord | undefined,
  fallback: { reference: string; amount?: number; currency?: string },
): ChargeResult {
  const currency = readString(data, 'currency') ?? fallback.currency ?? ''
  const status = chargeStatus(readString(data, 'status'))
  const authorization = asRecord(asRecord(data?.meta)?.authorization)
  const redirect = readString(authorization, 'redirect') ?? readString(authorization, 'redirect_url')
  return {
    reference: readString(data, 'tx_ref') ?? readString(data, 'txRef') ?? fallback.reference,
    status,
    amount: (currency ? readFlutterwaveAmount(data, 'amount', currency) : undefined) ?? fallback.amount ?? 0,
    currency,
    gateway_id: readId(data, 'id'),
    message: readString(data, 'processor_response') ?? null,
    redirect_url: status === 'pending' ? (redirect ?? null) : null,
  }
}

/**
 * A verified first payment as the reusable card it leaves: Flutterwave's `card.token`, tied to the
 * email of that payment, usable for a year.
 *
 * @example
 * toAuthorizationResult(verifyData, 'checkout-1') // { reusable: true, authorization: 'flw-t1nf-…', ... }
 */
export function toAuthorizationResult(data: JsonRecord | undefined, reference: string): AuthorizationResult {
  const card = asRecord(data?.card)
  const charge = toChargeResult(data, { reference })
  const token = readString(card, 'token')
  const reusable = charge.status === 'succeeded' && token !== undefined
  const [month, year] = (readString(card, 'expiry') ?? '').split('/')
  return {
    reference: charge.reference,
    status: charge.status,
    reusable,
    authorization: reusable ? (token ?? null) : null,
    email: readString(asRecord(data?.customer), 'email') ?? null,
    amount: charge.amount,
    currency: charge.currency,
    card: card
      ? {
          last4: readString(card, 'last_4digits') ?? null,
          brand: readString(card, 'type') ?? null,
          exp_month: month || null,
          exp_year: year || null,
        }
      : null,
  }
}

/**
 * The `data` of `POST /transactions/:id/refund` as a RefundResult. Flutterwave answers `completed`
 * for refunds it has done and `pending` (or a review state) for queued ones.
 *
 * @example
 * toRefundResult({ id: 75923, amount_refunded: 500, status: 'completed' }, 'NGN') // { status: 'succeeded', refund_id: '75923', amount: 50000 }
 */
export function toRefundResult(data: JsonRecord | undefined, currency: string): RefundResult {
  const status = readString(data, 'status')?.toLowerCase()
  return {
    status:
      status === 'completed' || status === 'successful'
        ? 'succeeded'
        : status === 'failed'
          ? 'failed'
          : 'pending',
    refund_id: readId(data, 'id'),
    amount:
      readFlutterwaveAmount(data, 'amount_refunded', currency) ??
      readFlutterwaveAmount(data, 'amount', currency) ??
      null,
  }
}
