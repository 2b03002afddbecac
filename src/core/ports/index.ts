export type { AlertRecord, AlertStore } from './alert-store.js'
export type { ApiKeyRecord, ApiKeyStore, ApiKeyUse } from './api-key-store.js'
export type { CustomerQuery, CustomerStore } from './customer-store.js'
export type {
  CustomerSearchQuery,
  CustomerUsage,
  InvoiceTotal,
  InvoiceTotalsQuery,
  NearLimitCursor,
  NearLimitQuery,
  TopCustomersQuery,
  UsagePoint,
  UsageSeriesQuery,
} from './dashboard-queries.js'
export type {
  AllowanceKey,
  AllowanceOpening,
  AllowanceRecord,
  EntitlementStore,
  ReservationRecord,
  ReserveOutcome,
} from './entitlement-store.js'
export type {
  AppendOutcome,
  EdgeQuery,
  EffectsOf,
  EventQuery,
  EventStore,
  PeriodClose,
  Refusal,
} from './event-store.js'
export type {
  InvoiceCreated,
  InvoiceCreation,
  InvoiceNumbering,
  InvoiceQuery,
  InvoiceStatusPatch,
  InvoiceStore,
  OneOffCreated,
} from './invoice-store.js'
export type { CustomersRollupQuery, MeterStore, RollupQuery } from './meter-store.js'
export type {
  DeliveryClaim,
  DeliveryOutcome,
  DeliveryState,
  NotificationQuery,
  NotificationRecord,
  NotificationStore,
  Outbox,
  Settlement,
} from './notification-store.js'
export type { PaymentMethodStore } from './payment-method-store.js'
export type { PaymentCreated, PaymentQuery, PaymentStore } from './payment-store.js'
export type { PlanStore } from './plan-store.js'
export type {
  SessionKind,
  SessionOwner,
  SessionQuery,
  SessionRecord,
  SessionStore,
} from './session-store.js'
export type { KeyPageQuery, Storage, StorageCapabilities } from './storage.js'
export type { DueSubscriptionQuery, SubscriptionQuery, SubscriptionStore } from './subscription-store.js'
