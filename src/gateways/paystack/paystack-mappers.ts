/**
 * Paystack's transaction and refund objects in the port's terms. Paystack amounts are already
 * integer minor units; ids stay strings.
 */
import type {
  AuthorizationResult,
  ChargeResult,
  ChargeStatus,
  RefundResult,
} from '../../core/payments/gateway-port.js'
import { asRecord, type JsonRecord, readId, readMinor, readString } from '../json-fields.js'

const FAILED = new Set(['abandoned', 'failed', 'reversed'])

/**
 * A Paystack transaction status in the port's terms. Anything unfamiliar (`ongoing`, `queued`,
 * `send_otp`, a status Paystack adds later) is pending: the outcome is not known yet, so the caller
 * verifies again rather than assuming either way.
 *
 * @example
 * chargeStatus('success')   // 'succeeded'
 * chargeStatus('abandoned') // 'failed'
 * chargeStatus('queued')    // 'pending'
 */
export function chargeStatus(status: string | undefined): ChargeStatus {
  if (status === 'success') return 'succeeded'
  return status !== undefined && FAILED.has(status) ? 'failed' : 'pending'
}

/**
 * A transaction (`data` of charge_authorization, verify, or a `charge.*` webhook) as a ChargeResult.
 * `fallback` fills what a sparse answer leaves out.
 *
 * @example
 * toChargeResult({ id: 4099260516, reference: 'inv_1-1', status: 'success', amount: 50000, currency: 'NGN', gateway_response: 'Approved' })
 * // { reference: 'inv_1-1', status: 'succeeded', amount: 50000, currency: 'NGN', gateway_id: '4099260516', message: 'Approved', redirect_url: null }
 */
export function toChargeResult(
  data: JsonRecord | undefined,
  fallback: { reference: string; amount?: number; currency?: string },
): ChargeResult {
  const status = chargeStatus(readString(data, 'status'))
  return {
    reference: readString(data, 'reference') ?? fallback.reference,
    status,
    amount: readMinor(data, 'amount') ?? fallback.amount ?? 0,
    currency: readString(data, 'currency') ?? fallback.currency ?? '',
    gateway_id: readId(data, 'id'),
    message: readString(data, 'gateway_response') ?? null,
    redirect_url: status === 'pending' ? (readString(data, 'authorization_url') ?? null) : null,
  }
}

/**
 * A verified first payment as the reusable card it leaves. The authorization code is returned only
 * when the payment succeeded and Paystack says `reusable: true`.
 *
 * @example
 * toAuthorizationResult(verifyData) // { reusable: true, authorization: 'AUTH_8dfhjjdt', email: 'ada@example.com', ... }
 */
export function toAuthorizationResult(data: JsonRecord | undefined, reference: string): AuthorizationResult {
  const auth = asRecord(data?.authorization)
  const status = chargeStatus(readString(data, 'status'))
  const reusable = status === 'succeeded' && auth?.reusable === true
  return {
    reference: readString(data, 'reference') ?? reference,
    status,
    reusable,
    authorization: reusable ? (readString(auth, 'authorization_code') ?? null) : null,
    email: readString(asRecord(data?.customer), 'email') ?? null,
    amount: readMinor(data, 'amount') ?? 0,
    currency: readString(data, 'currency') ?? '',
    card: auth
      ? {
          last4: readString(auth, 'last4') ?? null,
          brand: readString(auth, 'brand') ?? readString(auth, 'card_type') ?? null,
          exp_month: readString(auth, 'exp_month') ?? null,
          exp_year: readString(auth, 'exp_year') ?? null,
        }
      : null,
  }
}

/**
 * A refund status (`pending`, `processing`, `processed`, `failed`, …) in the port's terms.
 *
 * @example
 * refundStatus('processed') // 'succeeded'
 */
export function refundStatus(status: string | undefined): RefundResult['status'] {
  if (status === 'processed') return 'succeeded'
  return status === 'failed' ? 'failed' : 'pending'
}

/**
 * The `data` of `POST /refund` as a RefundResult.
 *
 * @example
 * toRefundResult({ id: 3018284, status: 'pending', amount: 10000 }) // { status: 'pending', refund_id: '3018284', amount: 10000 }
 */
export function toRefundResult(data: JsonRecord | undefined): RefundResult {
  return {
    status: refundStatus(readString(data, 'status')),
    refund_id: readId(data, 'id'),
    amount: readMinor(data, 'amount') ?? null,
  }
}
