import type { TableNames } from './dialect-quirks.js'

/**
 * kobometer's table names: prefixed, so they never collide with the host's own tables.
 *
 * @example
 * TABLE.events // 'kobometer_events'
 */
export const TABLE = Object.freeze({
  events: 'kobometer_events',
  eventKeys: 'kobometer_event_keys',
  meters: 'kobometer_meters',
  state: 'kobometer_state',
  rollups: 'kobometer_rollups',
  rollupValues: 'kobometer_rollup_values',
  meterHours: 'kobometer_meter_hours',
  eventOrder: 'kobometer_event_order',
  pendingRollups: 'kobometer_pending_rollups',
  minuteRollups: 'kobometer_minute_rollups',
  customers: 'kobometer_customers',
  plans: 'kobometer_plans',
  subscriptions: 'kobometer_subscriptions',
  invoices: 'kobometer_invoices',
  sequences: 'kobometer_sequences',
  closedPeriods: 'kobometer_closed_periods',
  paymentMethods: 'kobometer_payment_methods',
  payments: 'kobometer_payments',
  allowances: 'kobometer_allowances',
  allowanceUsage: 'kobometer_allowance_usage',
  allowanceCustomers: 'kobometer_allowance_customers',
  reservations: 'kobometer_reservations',
  limitedMeters: 'kobometer_limited_meters',
  notifications: 'kobometer_notifications',
  notificationDeliveries: 'kobometer_notification_deliveries',
  alerts: 'kobometer_alerts',
  apiKeys: 'kobometer_api_keys',
  sessions: 'kobometer_sessions',
  migration: 'kobometer_migration',
  migrationLock: 'kobometer_migration_lock',
})

/** The one secondary index on events: serves `listEvents` and `readEdgeEvents`. */
export const EVENTS_BY_CUSTOMER_INDEX = 'kobometer_events_customer_time'

/**
 * The rollups by (meter, bucket, customer_id): a window of one meter across customers (the top
 * customers) range-scans its own hours instead of every hour the meter kept. No quantity columns:
 * updating a rollup row leaves it alone on SQLite and MySQL; on PostgreSQL only an update that is
 * not HOT (no room left on the row's page) adds an entry, as it does to the primary key.
 */
export const ROLLUPS_BY_BUCKET_INDEX = 'kobometer_rollups_meter_bucket'

/**
 * Billing indexes: due subscriptions, a customer's subscriptions and invoices, invoices by status
 * (`invoicesStatus`, replaced by `invoicesStatusId` in id order since `0019_invoices_by_status`).
 */
export const BILLING_INDEX = Object.freeze({
  subscriptionsDue: 'kobometer_subscriptions_due',
  subscriptionsCustomer: 'kobometer_subscriptions_customer',
  invoicesPeriod: 'kobometer_invoices_period',
  invoicesCustomer: 'kobometer_invoices_customer',
  invoicesStatus: 'kobometer_invoices_status',
  invoicesStatusId: 'kobometer_invoices_status_id',
})

/** Payment indexes: a customer's methods, one payment per reference, an invoice's and a customer's payments. */
export const PAYMENT_INDEX = Object.freeze({
  methodsCustomer: 'kobometer_payment_methods_customer',
  paymentsReference: 'kobometer_payments_reference',
  paymentsInvoice: 'kobometer_payments_invoice',
  paymentsCustomer: 'kobometer_payments_customer',
})

/**
 * Entitlement indexes: one reservation per idempotency key, an allowance's reservations, the
 * current periods' allowances by fill (the dashboard's near-limit list), and a customer's
 * allowances by period end (the periods an append touches, however many came before).
 */
export const ENTITLEMENT_INDEX = Object.freeze({
  reservationsKey: 'kobometer_reservations_key',
  reservationsAllowance: 'kobometer_reservations_allowance',
  usageFill: 'kobometer_allowance_usage_fill',
  allowancesCustomerEnd: 'kobometer_allowances_customer_end',
})

/**
 * Notification indexes: one notification per key, a customer's in storage order, a destination's
 * pending deliveries in order and a customer's deliveries at one destination (the order check).
 */
export const NOTIFICATION_INDEX = Object.freeze({
  notificationsKey: 'kobometer_notifications_key',
  notificationsId: 'kobometer_notifications_id',
  deliveriesDue: 'kobometer_notification_deliveries_due',
  deliveriesCustomer: 'kobometer_notification_deliveries_customer',
  deliveriesUndelivered: 'kobometer_notification_deliveries_undelivered',
})

/** API key indexes: one key per secret hash (the per-request lookup). */
export const API_KEY_INDEX = Object.freeze({
  keysHash: 'kobometer_api_keys_hash',
})

/**
 * Session indexes: one session per token hash (the per-request lookup), and those of a customer,
 * of an API key and by expiry (revoking together, deleting the expired).
 */
export const SESSION_INDEX = Object.freeze({
  hash: 'kobometer_sessions_hash',
  customer: 'kobometer_sessions_customer',
  apiKey: 'kobometer_sessions_api_key',
  expires: 'kobometer_sessions_expires',
})

/**
 * Dashboard indexes: the allowances of current periods by fill, finalized invoices by time, open
 * invoices by due time.
 */
export const DASHBOARD_INDEX = Object.freeze({
  allowancesFill: 'kobometer_allowances_fill',
  invoicesFinalized: 'kobometer_invoices_finalized',
  invoicesOpenDue: 'kobometer_invoices_open_due',
})

/**
 * The reserved `customer_id` of the closed-periods row holding the highest mark of any customer
 * (the horizon): real customer ids are never empty, and appends older than no mark skip the lookups.
 */
export const CLOSED_HORIZON_ID = ''

/**
 * The table names as SQL writes them, each passed through `qualify` (e.g. to prefix a schema).
 *
 * @example
 * tableNames((name) => `"billing".${name}`).events // '"billing".kobometer_events'
 */
export function tableNames(qualify: (name: string) => string = (name) => name): TableNames {
  return Object.freeze({
    events: qualify(TABLE.events),
    eventKeys: qualify(TABLE.eventKeys),
    meters: qualify(TABLE.meters),
    state: qualify(TABLE.state),
    rollups: qualify(TABLE.rollups),
    rollupValues: qualify(TABLE.rollupValues),
    meterHours: qualify(TABLE.meterHours),
    eventOrder: qualify(TABLE.eventOrder),
    pendingRollups: qualify(TABLE.pendingRollups),
    minuteRollups: qualify(TABLE.minuteRollups),
    customers: qualify(TABLE.customers),
    plans: qualify(TABLE.plans),
    subscriptions: qualify(TABLE.subscriptions),
    invoices: qualify(TABLE.invoices),
    sequences: qualify(TABLE.sequences),
    closedPeriods: qualify(TABLE.closedPeriods),
    paymentMethods: qualify(TABLE.paymentMethods),
    payments: qualify(TABLE.payments),
    allowances: qualify(TABLE.allowances),
    allowanceUsage: qualify(TABLE.allowanceUsage),
    allowanceCustomers: qualify(TABLE.allowanceCustomers),
    reservations: qualify(TABLE.reservations),
    limitedMeters: qualify(TABLE.limitedMeters),
    notifications: qualify(TABLE.notifications),
    notificationDeliveries: qualify(TABLE.notificationDeliveries),
    alerts: qualify(TABLE.alerts),
    apiKeys: qualify(TABLE.apiKeys),
    sessions: qualify(TABLE.sessions),
  })
}
