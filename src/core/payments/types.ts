import type { Metadata } from '../customers/types.js'
import type { CardDetails } from './gateway-port.js'

/** A customer's reusable way to pay at one gateway. */
export interface PaymentMethod {
  id: string
  customer_id: string
  /** The gateway's name in `createBilling({ gateways })`: `'paystack'`, `'flutterwave'`. */
  gateway: string
  /** The email the authorization is tied to (both gateways check it). */
  email: string
  card: CardDetails | null
  /** The newest attached method is the default. */
  created_at: string
  metadata: Metadata
}

/**
 * A payment method as the storage keeps it: the authorization itself (a Paystack
 * `authorization_code` or Flutterwave card token) is never returned by the API.
 */
export interface PaymentMethodRecord extends PaymentMethod {
  authorization: string
  detached_at: string | null
}

/**
 * One charge attempt of an invoice. `processing` means its outcome is not known yet (a charge in
 * flight, or a response lost): it is resolved by verifying its reference before anything else.
 * `needs_attention` means the gateway took money for a different amount or currency than the
 * attempt asked: the invoice stays open and is never charged or dunned again until a person
 * settles it (refund, or mark it paid out of band).
 */
export type PaymentStatus = 'processing' | 'pending' | 'succeeded' | 'failed' | 'needs_attention'

/** How money recorded with `payments.recordOffline` was received. */
export type OfflinePaymentMethod = 'bank_transfer' | 'cash' | 'cheque' | 'other'

/**
 * How a payment other than a stored-card charge comes: money recorded offline, or `'checkout'`, a
 * hosted payment page the customer pays on (`billing.checkout.create`).
 */
export type PaymentKind = OfflinePaymentMethod | 'checkout'

/** A charge attempt, or money received outside the gateways (`gateway: 'offline'`), as stored and returned. */
export interface Payment {
  id: string
  invoice_id: string
  customer_id: string
  /**
   * The payment method charged; null for an offline payment. A checkout payment starts with null
   * and takes the id of the card its success attached.
   */
  payment_method_id: string | null
  /** The gateway's name, or `'offline'` for money recorded with `payments.recordOffline`. */
  gateway: string
  /**
   * Offline payments: how the money came. `'checkout'`: paid on a hosted payment page; such an
   * attempt only ever settles by success, and its card is attached as the customer's default.
   */
  method?: PaymentKind
  /** Checkout payments only: the hosted page the customer pays on (what `checkout.create` answers). */
  checkout_url?: string
  /**
   * Charges: derived from the invoice and the attempt number, the gateway's idempotency key.
   * Offline payments: the reference given (a bank transfer's), unique across the store.
   */
  reference: string
  attempt: number
  status: PaymentStatus
  amount: number
  currency: string
  gateway_id: string | null
  /** The processor's words for a decline or a failure. */
  failure_message: string | null
  /**
   * Refunded or held for a refund so far, integer minor units: every refund that is not `failed`
   * counts, so what is left to refund is `amount - amount_refunded`.
   */
  amount_refunded: number
  /** The payment's refunds, oldest first. */
  refunds: PaymentRefund[]
  created_at: string
  updated_at: string
  /** Until when the process that started the attempt owns it; after that another may resolve it. */
  lease_until: number
  revision: number
}

/**
 * Where a refund stands. `requested`: its amount is held and the gateway was (or is being) asked,
 * but no answer came back yet: an answer lost to a timeout stays `requested` until the refund
 * webhook says what happened. `pending`: the gateway accepted it (settled by webhook). A `failed`
 * refund gives its amount back to what is left to refund.
 */
export type RefundStatus = 'requested' | 'pending' | 'succeeded' | 'failed'

/** One refund of a payment, as stored and returned in `Payment.refunds`. */
export interface PaymentRefund {
  /** The gateway's refund id, once its answer (or a webhook) told it. */
  id: string | null
  /** Our own, deterministic: the payment's reference and the refund's number (`kbm-inv-1-1-r2`). */
  reference: string
  /** The caller's `idempotency_key`, when one was given. */
  idempotency_key: string | null
  /** Integer minor units. */
  amount: number
  status: RefundStatus
  created_at: string
}
