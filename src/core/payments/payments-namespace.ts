import type { BillingContext } from '../context.js'
import type { Page } from '../paging.js'
import { type OfflinePaymentInput, recordOffline } from './offline-payments.js'
import {
  type AttachFromTransactionInput,
  type AttachInput,
  attachFromTransaction,
  attachPaymentMethod,
  detachPaymentMethod,
  type ListPaymentMethodsQuery,
  listPaymentMethods,
} from './payment-methods-service.js'
import {
  type CollectInput,
  collect,
  getPayment,
  type ListPaymentsQuery,
  listPayments,
} from './payments-service.js'
import { type RefundInput, refundPayment } from './refunds-service.js'
import type { Payment, PaymentMethod } from './types.js'
import { handleWebhook, type WebhookInput, type WebhookOutcome } from './webhooks-service.js'

/** `billing.payments`: charges of invoices, their refunds, and money received offline. */
export interface PaymentsApi {
  /** Charges an open invoice now with the customer's default payment method. */
  collect(input: CollectInput): Promise<Payment | null>
  /** A payment by id, or `NotFoundError`. */
  get(id: string): Promise<Payment>
  /** An invoice's or a customer's payment attempts, oldest first. */
  list(query: ListPaymentsQuery): Promise<Page<Payment>>
  /**
   * Refunds a successful payment, whole or in part, exactly once: the refund is recorded on the
   * payment (`requested`, its amount held) before the gateway is asked, so retries and concurrent
   * callers in any process get that refund back instead of a second one (`idempotency_key` makes any
   * later call repeatable). Another refund while one awaits the gateway's answer is
   * `REFUND_IN_PROGRESS`; more than is left, `INVALID_REFUND`. The refund webhook settles it.
   */
  refund(input: RefundInput): Promise<Payment>
  /** Records money received outside the gateways (a bank transfer) as paying an invoice in full. */
  recordOffline(input: OfflinePaymentInput): Promise<Payment>
}

/**
 * The `payments` namespace of a billing instance on `ctx`.
 *
 * @example
 * const payments = paymentsNamespace(ctx)
 * const payment = await payments.collect({ invoice_id: invoice.id })
 */
export function paymentsNamespace(ctx: BillingContext): PaymentsApi {
  return {
    collect: (input) => collect(ctx, input),
    get: (id) => getPayment(ctx, id),
    list: (query) => listPayments(ctx, query),
    refund: (input) => refundPayment(ctx, input),
    recordOffline: (input) => recordOffline(ctx, input),
  }
}

/** `billing.paymentMethods`: the reusable cards and tokens invoices are charged to. */
export interface PaymentMethodsApi {
  /** Stores a reusable authorization you hold (Paystack `authorization_code`, Flutterwave `token`). */
  attach(input: AttachInput): Promise<PaymentMethod>
  /** Verifies a first payment and stores its reusable card. */
  attachFromTransaction(input: AttachFromTransactionInput): Promise<PaymentMethod>
  /** A customer's attached methods, newest (the one charged) last. */
  list(query: ListPaymentMethodsQuery): Promise<PaymentMethod[]>
  /** The method is no longer charged (kept for the record). */
  detach(id: string): Promise<PaymentMethod>
}

/**
 * The `paymentMethods` namespace of a billing instance on `ctx`.
 *
 * @example
 * const paymentMethods = paymentMethodsNamespace(ctx)
 * await paymentMethods.attachFromTransaction({ customer_id: 'cus_1', gateway: 'paystack', reference: 'first-pay-1' })
 */
export function paymentMethodsNamespace(ctx: BillingContext): PaymentMethodsApi {
  return {
    attach: (input) => attachPaymentMethod(ctx, input),
    attachFromTransaction: (input) => attachFromTransaction(ctx, input),
    list: (query) => listPaymentMethods(ctx, query),
    detach: (id) => detachPaymentMethod(ctx, id),
  }
}

/** `billing.webhooks`: gateway notifications of charge and refund outcomes. */
export interface WebhooksApi {
  /** Verifies and applies a gateway webhook, idempotently; answer the gateway 200 unless it throws. */
  handle(input: WebhookInput): Promise<WebhookOutcome>
}

/**
 * The `webhooks` namespace of a billing instance on `ctx`.
 *
 * @example
 * const webhooks = webhooksNamespace(ctx)
 * await webhooks.handle({ gateway: 'paystack', raw_body: body, headers })
 */
export function webhooksNamespace(ctx: BillingContext): WebhooksApi {
  return { handle: (input) => handleWebhook(ctx, input) }
}
