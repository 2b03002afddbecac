import { type AlertsApi, alertsNamespace } from './alerts/alerts-namespace.js'
import { ApiGate, guard } from './api-gate.js'
import { type ApiKeysApi, apiKeysNamespace } from './api-keys/api-keys-namespace.js'
import { keyAuthenticator } from './api-keys/key-authenticator.js'
import { type CatalogApi, catalogNamespace } from './catalog/catalog-namespace.js'
import { type CheckoutApi, checkoutNamespace } from './checkout/checkout-namespace.js'
import type { BillingContext } from './context.js'
import { type CustomersApi, customersNamespace } from './customers/customers-namespace.js'
import { EntitlementView } from './entitlements/entitlement-view.js'
import { type EntitlementsApi, entitlementsNamespace } from './entitlements/entitlements-namespace.js'
import type { EntitlementOptions } from './entitlements/types.js'
import { ErrorCode, ValidationError } from './errors.js'
import { type EventsApi, eventsNamespace } from './events/events-namespace.js'
import { type InvoicesApi, invoicesNamespace } from './invoices/invoices-namespace.js'
import { parseSeller, type SellerDetails } from './invoices/party-details.js'
import { type RunOptions, readRunOptions } from './invoices/run-options.js'
import { type Logger, safeLogger, silentLogger } from './logger.js'
import { type MetersApi, metersNamespace, type UsageApi, usageNamespace } from './meters/meters-namespace.js'
import { assertRoundingMode, type RoundingMode } from './money/rounding.js'
import { type NotificationOptions, parseNotificationOptions } from './notifications/notification-options.js'
import { type NotificationsApi, notificationsNamespace } from './notifications/notifications-namespace.js'
import { validRetryDays } from './payments/dunning.js'
import type { PaymentGateway } from './payments/gateway-port.js'
import { OFFLINE_GATEWAY } from './payments/offline-payments.js'
import {
  type PaymentMethodsApi,
  type PaymentsApi,
  paymentMethodsNamespace,
  paymentsNamespace,
  type WebhooksApi,
  webhooksNamespace,
} from './payments/payments-namespace.js'
import { type TickResult, tick } from './payments/tick.js'
import { type PlansApi, plansNamespace } from './plans/plans-namespace.js'
import type { Storage } from './ports/index.js'
import { type PortalApi, portalNamespace } from './sessions/portal-namespace.js'
import { type PortalOptions, parseSessionOptions, type SessionOptions } from './sessions/session-options.js'
import { type SessionsApi, sessionsNamespace } from './sessions/sessions-namespace.js'
import { type SubscriptionsApi, subscriptionsNamespace } from './subscriptions/subscriptions-namespace.js'
import { type TopUpsApi, topUpsNamespace } from './top-ups/top-ups-namespace.js'

/** What `createBilling` takes. */
export interface BillingOptions {
  /** Where everything is kept: `sqliteStorage(...)`, `postgresStorage(...)`, `mysqlStorage(...)`, `memoryStorage()`. */
  storage: Storage
  /** The time source of everything; inject one for tests and simulations. Default: the system clock. */
  clock?: () => Date | number
  /** How amounts are rounded to integer minor units: `half_up` (default) or `half_even`. */
  rounding?: RoundingMode
  /** Run schema migrations on start (default true). */
  migrate?: boolean
  /** Drafts stay open for late events this long after their period ends (default 1 hour). */
  invoiceGracePeriodMs?: number
  /** Invoice numbers are this prefix and a gapless sequence number (default `'INV-'`). */
  invoiceNumberPrefix?: string
  /** Days from finalization to `due_at` (default 0: due on receipt). */
  invoiceDueDays?: number
  /** Payment gateways by name: `{ paystack: paystackGateway({ secretKey }) }`. */
  gateways?: Record<string, PaymentGateway>
  /** How failed invoices are chased. */
  dunning?: {
    /** Retries, in days after the first failure (default `[1, 3, 5, 7]`). */
    retryDays?: number[]
    /** After the last retry fails: `'pause'` the subscription (default) or `'keep'` it past_due. */
    afterFinalFailure?: 'pause' | 'keep'
    /** How long a process owns a charge attempt before another may resolve it (default 2 minutes). */
    leaseMs?: number
  }
  /**
   * The supplier a VAT invoice names: printed on every invoice and copied onto it at finalization,
   * so an issued invoice never changes when this later does.
   */
  seller?: SellerDetails
  /** Receives structured logs of runs, charges, gateway answers and storage retries (default: none). */
  logger?: Logger
  /** How `entitlements.check` keeps its view (refresh every 1,000 ms; customers without a subscription refused). */
  entitlements?: EntitlementOptions
  /**
   * Where notifications (invoice paid, usage threshold reached, …) are delivered: a `handler`
   * and/or signed `webhooks`, at least once and in order per customer, by `tick()` or
   * `notifications.deliver()`.
   */
  notifications?: NotificationOptions
  /** Dashboard sign-in sessions: how long one lasts (default 12 hours). */
  sessions?: SessionOptions
  /** Customer portal links: where they point (default `/dashboard/portal/<token>`, relative to the host). */
  portal?: PortalOptions
}

/** A billing instance: every namespace of the public API. */
export interface Billing {
  events: EventsApi
  meters: MetersApi
  usage: UsageApi
  customers: CustomersApi
  plans: PlansApi
  catalog: CatalogApi
  subscriptions: SubscriptionsApi
  invoices: InvoicesApi
  paymentMethods: PaymentMethodsApi
  payments: PaymentsApi
  webhooks: WebhooksApi
  entitlements: EntitlementsApi
  checkout: CheckoutApi
  topUps: TopUpsApi
  notifications: NotificationsApi
  alerts: AlertsApi
  apiKeys: ApiKeysApi
  sessions: SessionsApi
  portal: PortalApi
  /**
   * Runs everything due: `invoices.run`, collection of new invoices, dunning retries, delivery of
   * notifications.
   */
  tick(options?: RunOptions): Promise<TickResult>
  /** Releases what this instance opened (not a pool or database handle the host passed in). */
  close(): Promise<void>
}

/**
 * Creates a billing instance on a storage, migrating its schema unless `migrate: false`.
 *
 * @example
 * import { createBilling } from 'kobometer'
 * import { sqliteStorage } from 'kobometer/sqlite'
 * const billing = await createBilling({ storage: sqliteStorage({ filename: './billing.db' }) })
 * await billing.meters.create({ code: 'api_calls', event_name: 'api_call', aggregation: 'count' })
 * await billing.events.ingest({ events: [{ event_name: 'api_call', customer_id: 'cus_1', idempotency_key: 'req_1' }] })
 * await billing.close()
 */
export async function createBilling(options: BillingOptions): Promise<Billing> {
  const ctx = contextFrom(options)
  if (options.migrate !== false) await guard(() => ctx.storage.migrate())
  const gate = new ApiGate()
  return {
    events: gate.api(eventsNamespace(ctx)),
    meters: gate.api(metersNamespace(ctx)),
    usage: gate.api(usageNamespace(ctx)),
    customers: gate.api(customersNamespace(ctx)),
    plans: gate.api(plansNamespace(ctx)),
    catalog: gate.api(catalogNamespace(ctx)),
    subscriptions: gate.api(subscriptionsNamespace(ctx)),
    invoices: gate.api(invoicesNamespace(ctx)),
    paymentMethods: gate.api(paymentMethodsNamespace(ctx)),
    payments: gate.api(paymentsNamespace(ctx)),
    webhooks: gate.api(webhooksNamespace(ctx)),
    entitlements: gate.api(entitlementsNamespace(ctx)),
    checkout: gate.api(checkoutNamespace(ctx)),
    topUps: gate.api(topUpsNamespace(ctx)),
    notifications: gate.api(notificationsNamespace(ctx)),
    alerts: gate.api(alertsNamespace(ctx)),
    apiKeys: gate.api(apiKeysNamespace(ctx)),
    sessions: gate.api(sessionsNamespace(ctx)),
    portal: gate.api(portalNamespace(ctx)),
    tick: gate.call((options?: RunOptions) => tick(ctx, ...readRunOptions(ctx, options))),
    close: () =>
      gate.close(async () => {
        ctx.entitlements.stop()
        await keyAuthenticator(ctx).close()
        return ctx.storage.close()
      }),
  }
}

function contextFrom(options: BillingOptions): BillingContext {
  const invalid = (path: string, message: string) =>
    new ValidationError(ErrorCode.INVALID_OPTIONS, `${path} ${message}`, { path })
  if (typeof options !== 'object' || options === null) throw invalid('options', 'must be an object')
  const storage = options.storage
  if (typeof storage !== 'object' || storage === null || typeof storage.events?.append !== 'function') {
    throw invalid('storage', 'must be a storage such as sqliteStorage(...) or memoryStorage()')
  }
  const rounding = options.rounding ?? 'half_up'
  assertRoundingMode(rounding)
  const clock = options.clock
  if (clock !== undefined && typeof clock !== 'function')
    throw invalid('clock', 'must be a function returning a Date')
  const now = clock
    ? () => {
        const t = clock()
        const ms = t instanceof Date ? t.getTime() : t
        if (typeof ms !== 'number' || !Number.isFinite(ms))
          throw invalid('clock', 'returned something that is not a time')
        return ms
      }
    : Date.now
  const count = (value: unknown, path: string, fallback: number): number => {
    if (value === undefined) return fallback
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
      throw invalid(path, 'must be a non-negative integer')
    return value
  }
  const prefix = options.invoiceNumberPrefix ?? 'INV-'
  if (typeof prefix !== 'string' || prefix.length > 20 || /[\s]/.test(prefix))
    throw invalid('invoiceNumberPrefix', 'must be a string of at most 20 characters without spaces')
  const invoicing = Object.freeze({
    graceMs: count(options.invoiceGracePeriodMs, 'invoiceGracePeriodMs', 3_600_000),
    numberPrefix: prefix,
    dueDays: count(options.invoiceDueDays, 'invoiceDueDays', 0),
    seller: parseSeller(options.seller),
  })
  const logger = options.logger === undefined ? silentLogger : safeLogger(options.logger)
  if (logger === null) throw invalid('logger', 'must have debug, info, warn and error functions')
  if (options.logger !== undefined) storage.setLogger?.(logger)
  const gateways = options.gateways ?? {}
  if (typeof gateways !== 'object' || gateways === null)
    throw invalid('gateways', 'must be an object of gateways by name')
  for (const [name, gateway] of Object.entries(gateways)) {
    if (name === OFFLINE_GATEWAY) throw invalid(`gateways.${name}`, 'is reserved for payments.recordOffline')
    if (typeof gateway?.charge !== 'function')
      throw invalid(`gateways.${name}`, 'must be a gateway such as paystackGateway(...)')
  }
  const retryDays = options.dunning?.retryDays ?? [1, 3, 5, 7]
  if (!validRetryDays(retryDays))
    throw invalid('dunning.retryDays', 'must be ascending non-negative day counts (at most 30)')
  const afterFinalFailure = options.dunning?.afterFinalFailure ?? 'pause'
  if (afterFinalFailure !== 'pause' && afterFinalFailure !== 'keep')
    throw invalid('dunning.afterFinalFailure', "must be 'pause' or 'keep'")
  const dunning = Object.freeze({
    retryDays: Object.freeze([...retryDays]),
    afterFinalFailure,
    leaseMs: count(options.dunning?.leaseMs, 'dunning.leaseMs', 120_000),
  })
  const limits = options.entitlements ?? {}
  if (typeof limits !== 'object' || limits === null) throw invalid('entitlements', 'must be an object')
  const refreshMs = count(limits.refreshMs, 'entitlements.refreshMs', 1_000)
  if (refreshMs < 10) throw invalid('entitlements.refreshMs', 'must be at least 10')
  const allowWithout = limits.allowWithoutSubscription ?? false
  if (typeof allowWithout !== 'boolean')
    throw invalid('entitlements.allowWithoutSubscription', 'must be a boolean')
  const entitlements = new EntitlementView({ refreshMs, allowWithoutSubscription: allowWithout })
  const notifications = parseNotificationOptions(options.notifications)
  const sessions = parseSessionOptions(options.sessions, options.portal)
  return {
    storage,
    now,
    rounding,
    invoicing,
    gateways: Object.freeze({ ...gateways }),
    dunning,
    logger,
    entitlements,
    notifications,
    sessions,
  }
}
