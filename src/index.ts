/**
 * kobometer: embeddable usage-based billing. This entry holds the pure core (money, pricing, errors);
 * storages and gateways live in their own subpaths (`kobometer/sqlite`, `kobometer/paystack`, …).
 */

export {
  type Billing,
  type BillingOptions,
  createBilling,
  type InvoicePreview,
  type ListQuery,
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
export { type DedupedBatch, dedupeBatch } from './core/events/dedupe-batch.js'
export { EVENT_LIMITS } from './core/events/limits.js'
export type { EventPage, ListEventsQuery } from './core/events/list-events.js'
// For storage adapter authors: the shapes the port passes, and the pure helpers every adapter uses.
export type {
  BillingEvent,
  EventError,
  EventInput,
  IngestEventResult,
  IngestInput,
  IngestResult,
  IngestStatus,
  IngestWarning,
  PreparedEvent,
  PropertyValue,
  StoredEvent,
  TimeInput,
} from './core/events/types.js'
export { formatInvoiceNumber } from './core/invoices/invoice-record.js'
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
export { BUCKET_MS, bucketOf } from './core/meters/buckets.js'
export type { EffectsFn, EventEffects, MeterWarning } from './core/meters/meter-effects.js'
export {
  aggregateDeltas,
  emptyRollup,
  mergeRollup,
  quantityOf,
  RollupAccumulator,
} from './core/meters/rollup.js'
export type {
  Aggregation,
  LatestValue,
  Meter,
  MeterInput,
  RollupDelta,
  RollupState,
} from './core/meters/types.js'
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
export type { AttachInput } from './core/payments/payment-methods-service.js'
export type { TickResult } from './core/payments/tick.js'
export type { Payment, PaymentMethod, PaymentMethodRecord, PaymentStatus } from './core/payments/types.js'
export type { WebhookInput, WebhookOutcome } from './core/payments/webhooks-service.js'
export type { Plan, PlanCharge, PlanInput, PlanUpdate, TaxRate } from './core/plans/types.js'
export type {
  AppendOutcome,
  EdgeQuery,
  EventQuery,
  InvoiceNumbering,
  InvoiceQuery,
  InvoiceStatusPatch,
  KeyPageQuery,
  PaymentQuery,
  PeriodClose,
  RollupQuery,
  Storage,
  StorageCapabilities,
} from './core/ports.js'
export * from './core/pricing/index.js'
export type {
  Subscription,
  SubscriptionInput,
  SubscriptionPhase,
  SubscriptionRecord,
  SubscriptionStatus,
} from './core/subscriptions/types.js'
