/**
 * kobometer: embeddable usage-based billing. This entry holds `createBilling` and the pure core
 * (money, pricing, errors); storages, gateways and what storage authors need live in their own
 * subpaths (`kobometer/sqlite`, `kobometer/paystack`, `kobometer/storage-kit`, …).
 */

export {
  type Billing,
  type BillingOptions,
  createBilling,
  type InvoicePreview,
  type ListQuery,
  type RunOptions,
} from './core/billing.js'
export { defineCatalog } from './core/catalog/define-catalog.js'
export type {
  CatalogInput,
  CatalogSyncResult,
  MeterSyncResult,
  PlanSyncResult,
} from './core/catalog/types.js'
export type { DunningSettings, InvoicingSettings } from './core/context.js'
export type { Customer, CustomerInput, CustomerUpdate, Metadata } from './core/customers/types.js'
export {
  BillingError,
  type BillingErrorDetails,
  ConflictError,
  ErrorCode,
  GatewayError,
  NotFoundError,
  SignatureVerificationError,
  ValidationError,
  type ValidationIssue,
} from './core/errors.js'
export { EVENT_LIMITS } from './core/events/limits.js'
export type { EventPage, ListEventsQuery } from './core/events/list-events.js'
export type {
  BillingEvent,
  EventError,
  EventInput,
  IngestEventResult,
  IngestInput,
  IngestResult,
  IngestStatus,
  IngestWarning,
  PropertyValue,
} from './core/events/types.js'
export { formatInvoiceNumber } from './core/invoices/invoice-record.js'
export type { SellerDetails } from './core/invoices/party-details.js'
export { renderInvoiceHtml } from './core/invoices/render-html.js'
export { renderInvoiceText } from './core/invoices/render-text.js'
export type {
  BillingReason,
  Invoice,
  InvoiceLine,
  InvoiceRunFailure,
  InvoiceRunResult,
  InvoiceStatus,
} from './core/invoices/types.js'
export type { LogFields, Logger, ProgressEvent, ProgressListener } from './core/logger.js'
export type { Aggregation, Meter, MeterInput } from './core/meters/types.js'
export type { Usage, UsageQuery } from './core/meters/usage.js'
export {
  type Amount,
  type CurrencyInfo,
  type FormatMoneyOptions,
  formatMoney,
  fromMinorUnits,
  getCurrency,
  isKnownCurrency,
  listCurrencies,
  parseAmount,
  type Quantity,
  ROUNDING_MODES,
  type RoundingMode,
  roundMinor,
  toMinorUnits,
} from './core/money/index.js'
export type { Page } from './core/paging.js'
export { paymentReference } from './core/payments/collect.js'
export type {
  AuthorizationResult,
  CardDetails,
  ChargeRequest,
  ChargeResult,
  ChargeStatus,
  GatewayWebhookEvent,
  PaymentGateway,
  RefundRequest,
  RefundResult,
  WebhookHeaders,
} from './core/payments/gateway-port.js'
export type { OfflinePaymentInput } from './core/payments/offline-payments.js'
export type { AttachInput } from './core/payments/payment-methods-service.js'
export type { TickResult } from './core/payments/tick.js'
export type {
  OfflinePaymentMethod,
  Payment,
  PaymentMethod,
  PaymentMethodRecord,
  PaymentStatus,
} from './core/payments/types.js'
export type { WebhookInput, WebhookOutcome } from './core/payments/webhooks-service.js'
export type { Plan, PlanCharge, PlanInput, PlanUpdate, TaxRate } from './core/plans/types.js'
// `createBilling` takes a Storage; the rest of the port and its helpers are in kobometer/storage-kit.
export type { Storage } from './core/ports.js'
export * from './core/pricing/index.js'
export type {
  Subscription,
  SubscriptionInput,
  SubscriptionPhase,
  SubscriptionRecord,
  SubscriptionStatus,
} from './core/subscriptions/types.js'
export type { TimeInput } from './core/time/time-input.js'
