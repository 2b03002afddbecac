import type { BillingContext } from '../context.js'
import { ErrorCode, ValidationError } from '../errors.js'
import { applyCharge } from './apply-charge.js'
import type { WebhookHeaders } from './gateway-port.js'
import { gatewayOf } from './payment-methods-service.js'
import { settleRefund } from './refunds-service.js'
import type { Payment } from './types.js'

/** What `billing.webhooks.handle` takes: the body exactly as received, and the request headers. */
export interface WebhookInput {
  gateway: string
  raw_body: string | Uint8Array
  headers: WebhookHeaders
}

/** What a webhook did: always answer the gateway 200 unless it threw `SignatureVerificationError`. */
export interface WebhookOutcome {
  /** `applied`: it changed a payment; `duplicate`: the payment already had this outcome; `ignored`: not ours or not relevant. */
  status: 'applied' | 'duplicate' | 'ignored'
  event: string
  payment: Payment | null
  /** Why it was ignored, or a mismatch between the charge and the invoice. */
  reason?: string
}

/**
 * `billing.webhooks.handle`: verifies the signature over the raw body (a bad one throws
 * `SignatureVerificationError` and changes nothing), then applies the charge or refund outcome
 * idempotently: the same webhook delivered five times records one payment. A reference kobometer
 * did not make is acknowledged and ignored.
 *
 * @example
 * app.post('/webhooks/paystack', express.raw({ type: '*\/*' }), async (req, res) => {
 *   await billing.webhooks.handle({ gateway: 'paystack', raw_body: req.body, headers: req.headers })
 *   res.sendStatus(200)
 * })
 */
export async function handleWebhook(ctx: BillingContext, input: WebhookInput): Promise<WebhookOutcome> {
  const gateway = gatewayOf(ctx, input?.gateway)
  if (typeof input.raw_body !== 'string' && !(input.raw_body instanceof Uint8Array)) {
    throw new ValidationError(
      ErrorCode.VALIDATION_ERROR,
      'raw_body must be the request body exactly as received (string or bytes)',
      {
        path: 'raw_body',
      },
    )
  }
  const event = gateway.parseWebhook(input.raw_body, input.headers ?? {})
  if (event.type === 'ignored')
    return { status: 'ignored', event: event.event, payment: null, reason: 'event not used' }
  const reference = event.type === 'charge' ? event.charge.reference : event.reference
  const payment = await ctx.storage.payments.getByReference(reference)
  if (payment === null || payment.gateway !== input.gateway) {
    return { status: 'ignored', event: event.event, payment: null, reason: 'unknown reference' }
  }
  if (event.type === 'refund') {
    const settled = await settleRefund(ctx, payment, event)
    return { status: settled.changed ? 'applied' : 'duplicate', event: event.event, payment: settled.payment }
  }
  const applied = await applyCharge(ctx, payment, event.charge, ctx.now())
  return {
    status: applied.changed ? 'applied' : 'duplicate',
    event: event.event,
    payment: applied.payment,
    ...(applied.mismatch ? { reason: applied.mismatch } : {}),
  }
}
