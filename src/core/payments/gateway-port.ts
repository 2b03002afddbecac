/**
 * The payment gateway port: what core asks of Paystack, Flutterwave or any other gateway. Amounts
 * are always integer minor units here; each adapter converts to its provider's unit exactly.
 * Secrets never appear in anything a method returns or throws.
 */

/** The state of one charge, as the gateway reports it. */
export type ChargeStatus = 'succeeded' | 'failed' | 'pending'

/** A charge of a stored payment method. */
export interface ChargeRequest {
  /**
   * Our own deterministic reference (letters, digits, `-`, `.`, `=`; ≤ 100 characters). The
   * gateway's only idempotency guard: the same reference is never charged twice.
   */
  reference: string
  /** Integer minor units (kobo for NGN). */
  amount: number
  currency: string
  email: string
  /** The reusable authorization: a Paystack `authorization_code`, a Flutterwave card `token`. */
  authorization: string
  /** Shown to the customer where the gateway supports it. */
  narration?: string
  metadata?: Record<string, string>
}

/** What the gateway says about one charge. */
export interface ChargeResult {
  reference: string
  status: ChargeStatus
  /** Integer minor units actually charged (or attempted). */
  amount: number
  currency: string
  /** The gateway's own transaction id, as a string (Paystack ids exceed 2^53). */
  gateway_id: string | null
  /** The processor's words: Paystack `gateway_response`, Flutterwave `processor_response`. */
  message: string | null
  /** Pending 3-D Secure: where the customer completes it. */
  redirect_url?: string | null
}

/** What is known of a card: shown to people, never used to charge. */
export interface CardDetails {
  last4: string | null
  brand: string | null
  exp_month: string | null
  exp_year: string | null
}

/** A reusable card learnt from a first payment (see `verifyAuthorization`). */
export interface AuthorizationResult {
  reference: string
  status: ChargeStatus
  /** Paystack `reusable`; Flutterwave: a card token is present. */
  reusable: boolean
  /** `AUTH_…` or `flw-t1nf-…`; null when not reusable or not successful. */
  authorization: string | null
  email: string | null
  amount: number
  currency: string
  card: CardDetails | null
}

/** A hosted payment page to start: the customer pays there, and the gateway keeps the card. */
export interface CheckoutRequest {
  /** Our own reference (the charge reference rules): what the webhook and verify answer under. */
  reference: string
  /** Integer minor units (kobo for NGN). */
  amount: number
  currency: string
  /** The customer's email: the reusable card the payment leaves is tied to it. */
  email: string
  /** Where the gateway sends the customer back once they have paid (absolute http(s) URL). */
  callback_url: string
  metadata?: Record<string, string>
}

/** A started hosted payment: send the customer to `url`. */
export interface CheckoutSession {
  url: string
  reference: string
}

/** A refund of a charge, whole or in part. */
export interface RefundRequest {
  reference: string
  /** Needed by Flutterwave (refunds take its numeric id); Paystack accepts the reference. */
  gateway_id: string | null
  /** Integer minor units; the whole charge when omitted. */
  amount?: number
  currency: string
}

/** What the gateway says about a refund: usually `pending` first, settled by webhook. */
export interface RefundResult {
  status: 'pending' | 'succeeded' | 'failed'
  refund_id: string | null
  /** Integer minor units, when the gateway says. */
  amount: number | null
}

/** A verified webhook, in domain terms. */
export type GatewayWebhookEvent =
  | { type: 'charge'; event: string; charge: ChargeResult }
  | {
      type: 'refund'
      event: string
      reference: string
      /** The gateway's id of the refund, as `refund` returned it: what matches the event to it. */
      refund_id: string | null
      status: RefundResult['status']
      amount: number | null
    }
  | { type: 'ignored'; event: string }

/** Request headers as Node and the fetch API give them (lower-case names). */
export type WebhookHeaders = Record<string, string | string[] | undefined> | Headers

/**
 * A payment gateway. Every method either returns the gateway's answer or throws `GatewayError`
 * (`retryable: true` means the outcome is unknown: network error, timeout, 5xx or 429 after the
 * adapter's own retries); a decline is an answer (`status: 'failed'`), never a throw.
 */
export interface PaymentGateway {
  /** `'paystack'`, `'flutterwave'`: the key of `createBilling({ gateways })`. */
  readonly name: string
  /** Charges a stored authorization. Retries inside use the same reference. */
  charge(request: ChargeRequest): Promise<ChargeResult>
  /** The charge made with our reference, or null when the gateway has none (both not-found answers). */
  verify(reference: string, currency: string): Promise<ChargeResult | null>
  /**
   * Starts a hosted payment (Paystack `transaction/initialize`, Flutterwave Standard `/v3/payments`)
   * under our reference. It moves no money: the customer pays on the page, and the outcome arrives
   * by webhook or `verify`. Optional so a gateway without hosted pages still charges cards;
   * `billing.checkout.create` refuses such a gateway with `CHECKOUT_NOT_SUPPORTED`.
   */
  initializeCheckout?(request: CheckoutRequest): Promise<CheckoutSession>
  /** Verifies a first payment (made through the gateway's checkout) and returns its reusable card. */
  verifyAuthorization(reference: string): Promise<AuthorizationResult | null>
  refund(request: RefundRequest): Promise<RefundResult>
  /**
   * Checks a webhook's signature over the exact raw body, in constant time, and parses it. Throws
   * `SignatureVerificationError` when the signature is missing or wrong.
   */
  parseWebhook(rawBody: string | Uint8Array, headers: WebhookHeaders): GatewayWebhookEvent
}
