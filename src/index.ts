/**
 * kobometer: embeddable usage-based billing. This entry holds `createBilling` and the pure core
 * (money, pricing, errors); storages, gateways and what storage authors need live in their own
 * subpaths (`kobometer/sqlite`, `kobometer/paystack`, `kobometer/storage-kit`, …).
 */

export type { AlertsApi } from './core/alerts/alerts-namespace.js'
export type { Alert, AlertMark, AlertThreshold, CreateAlertInput } from './core/alerts/types.js'
export type { ApiKeysApi } from './core/api-keys/api-keys-namespace.js'
export type { AuthFailure, AuthResult } from './core/api-keys/key-authenticator.js'
export { API_KEY_SCOPES, type ApiKeyScope } from './core/api-keys/scopes.js'
export type { ApiKey, CreateApiKeyInput, CreatedApiKey } from './core/api-keys/types.js'
export { type Billing, type BillingOptions, createBilling } from './core/billing.js'
export type { CatalogApi } from './core/catalog/catalog-namespace.js'
export { defineCatalog } from './core/catalog/define-catalog.js'
export type {
  CatalogInput,
  CatalogSyncResult,
  MeterSyncResult,
  PlanSyncResult,
} from './core/catalog/types.js'
export type {
  CheckoutLink,
  CreateCheckoutInput,
  VerifyCheckoutInput,
} from './core/checkout/checkout-input.js'
export type { CheckoutApi } from './core/checkout/checkout-namespace.js'
export type { ChurnOptions } from './core/churn/churn-settings.js'
export type { ChurnResult } from './core/churn/churn-step.js'
export type { DunningSettings, InvoicingSettings } from './core/context.js'
export type { CustomersApi } from './core/customers/customers-namespace.js'
export type { CustomerSearchInput } from './core/customers/search-customers.js'
export type { Customer, CustomerInput, CustomerUpdate, Metadata } from './core/customers/types.js'
export type { EntitlementsApi } from './core/entitlements/entitlements-namespace.js'
export type { NearLimitAllowance, NearLimitInput } from './core/entitlements/near-limit.js'
export type {
  CheckInput,
  EntitlementCheck,
  EntitlementOptions,
  EntitlementReason,
  PlanLimit,
  Reservation,
  ReservationStatus,
  ReserveInput,
} from './core/entitlements/types.js'
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
export type { EventsApi } from './core/events/events-namespace.js'
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
export type { InvoiceTotalsInput } from './core/invoices/invoice-totals.js'
export type { InvoicesApi } from './core/invoices/invoices-namespace.js'
export type {
  ListInvoicesQuery,
  PreviewInvoiceQuery,
  RenderInvoiceOptions,
} from './core/invoices/invoices-service.js'
export type { SellerDetails } from './core/invoices/party-details.js'
export { renderInvoiceHtml } from './core/invoices/render-html.js'
export { renderInvoiceText } from './core/invoices/render-text.js'
export type { InvoiceRunOptions, RunOptions } from './core/invoices/run-options.js'
export type { InvoiceRunShard } from './core/invoices/run-shard.js'
export type {
  BillingReason,
  Invoice,
  InvoiceLine,
  InvoicePreview,
  InvoiceRunFailure,
  InvoiceRunResult,
  InvoiceStatus,
  TopUpDetails,
} from './core/invoices/types.js'
export type { LogFields, Logger, ProgressEvent, ProgressListener } from './core/logger.js'
export type { MetersApi, UsageApi } from './core/meters/meters-namespace.js'
export type { Aggregation, Meter, MeterInput } from './core/meters/types.js'
export type { Usage, UsageQuery } from './core/meters/usage.js'
export type {
  UsageSeries,
  UsageSeriesInput,
  UsageSeriesPoint,
  UsageTop,
  UsageTopInput,
} from './core/meters/usage-series.js'
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
export type { DeliveryResult } from './core/notifications/deliver.js'
export type { NotificationOptions } from './core/notifications/notification-options.js'
export type {
  ListNotificationsQuery,
  NotificationsApi,
  RedeliverQuery,
} from './core/notifications/notifications-namespace.js'
export {
  NOTIFICATION_TYPES,
  type Notification,
  type NotificationData,
  type NotificationType,
} from './core/notifications/types.js'
export type { WebhookEndpoint } from './core/notifications/webhook-destination.js'
export type { ListQuery, Page } from './core/paging.js'
export { paymentReference } from './core/payments/collect.js'
export type {
  AuthorizationResult,
  CardDetails,
  ChargeRequest,
  ChargeResult,
  ChargeStatus,
  CheckoutRequest,
  CheckoutSession,
  GatewayWebhookEvent,
  PaymentGateway,
  RefundRequest,
  RefundResult,
  WebhookHeaders,
} from './core/payments/gateway-port.js'
export type { OfflinePaymentInput } from './core/payments/offline-payments.js'
export type {
  AttachFromTransactionInput,
  AttachInput,
  ListPaymentMethodsQuery,
} from './core/payments/payment-methods-service.js'
export type { PaymentMethodsApi, PaymentsApi, WebhooksApi } from './core/payments/payments-namespace.js'
export type { CollectInput, ListPaymentsQuery } from './core/payments/payments-service.js'
export type { RefundInput } from './core/payments/refunds-service.js'
export type { TickResult } from './core/payments/tick.js'
export type {
  OfflinePaymentMethod,
  Payment,
  PaymentKind,
  PaymentMethod,
  PaymentMethodRecord,
  PaymentRefund,
  PaymentStatus,
  RefundStatus,
} from './core/payments/types.js'
export type { WebhookInput, WebhookOutcome } from './core/payments/webhooks-service.js'
export type { PlansApi } from './core/plans/plans-namespace.js'
export type { Plan, PlanCharge, PlanInput, PlanUpdate, TaxRate } from './core/plans/types.js'
// `createBilling` takes a Storage; the rest of the port and its helpers are in kobometer/storage-kit.
export type { InvoiceTotal, Storage } from './core/ports/index.js'
export * from './core/pricing/index.js'
export type { PortalApi } from './core/sessions/portal-namespace.js'
export {
  clearedSessionCookie,
  SESSION_COOKIE_NAME,
  type SessionCookieInput,
  sessionCookie,
  sessionTokenFromCookies,
} from './core/sessions/session-cookie.js'
export type { PortalOptions, SessionOptions } from './core/sessions/session-options.js'
export type { SessionsApi } from './core/sessions/sessions-namespace.js'
export type {
  PortalSession,
  PortalSessionInput,
  Session,
  SessionKind,
  SessionListQuery,
  SessionOwnerInput,
  SignedIn,
  SignInInput,
  SignInResult,
  VerifiedSession,
  VerifyInput,
} from './core/sessions/types.js'
export type { SubscriptionsApi } from './core/subscriptions/subscriptions-namespace.js'
export type {
  CancelSubscriptionOptions,
  ChangePlanOptions,
  ListSubscriptionsQuery,
} from './core/subscriptions/subscriptions-service.js'
export type {
  Subscription,
  SubscriptionInput,
  SubscriptionPhase,
  SubscriptionRecord,
  SubscriptionStatus,
} from './core/subscriptions/types.js'
export type { TimeInput } from './core/time/time-input.js'
export type { CreateTopUpInput } from './core/top-ups/top-up-input.js'
export type { TopUpsApi } from './core/top-ups/top-ups-namespace.js'
