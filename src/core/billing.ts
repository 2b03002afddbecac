import { syncCatalog } from './catalog/sync-catalog.js'
import type { CatalogInput, CatalogSyncResult } from './catalog/types.js'
import type { BillingContext } from './context.js'
import { createCustomer, getCustomer, listCustomers, updateCustomer } from './customers/customers-service.js'
import type { Customer, CustomerInput, CustomerUpdate } from './customers/types.js'
import { BillingError, ErrorCode, ValidationError } from './errors.js'
import { ingestEvents } from './events/ingest.js'
import { type EventPage, type ListEventsQuery, listEvents } from './events/list-events.js'
import type { IngestInput, IngestResult } from './events/types.js'
import { runInvoices } from './invoices/invoice-run.js'
import {
  getInvoice,
  type ListInvoicesQuery,
  listInvoices,
  type PreviewInvoiceQuery,
  previewInvoice,
  type RenderInvoiceOptions,
  renderInvoice,
  voidInvoice,
} from './invoices/invoices-service.js'
import { parseSeller, type SellerDetails } from './invoices/party-details.js'
import { type RunOptions, readRunOptions } from './invoices/run-options.js'
import type { Invoice, InvoicePreview, InvoiceRunResult } from './invoices/types.js'
import { type Logger, safeLogger, silentLogger } from './logger.js'
import { createMeter, getMeter } from './meters/meters-service.js'
import type { Meter, MeterInput } from './meters/types.js'
import { getUsage, type Usage, type UsageQuery } from './meters/usage.js'
import { assertRoundingMode, type RoundingMode } from './money/rounding.js'
import type { ListQuery, Page } from './paging.js'
import { validRetryDays } from './payments/dunning.js'
import type { PaymentGateway } from './payments/gateway-port.js'
import { OFFLINE_GATEWAY, type OfflinePaymentInput, recordOffline } from './payments/offline-payments.js'
import {
  type AttachFromTransactionInput,
  type AttachInput,
  attachFromTransaction,
  attachPaymentMethod,
  detachPaymentMethod,
  type ListPaymentMethodsQuery,
  listPaymentMethods,
} from './payments/payment-methods-service.js'
import {
  type CollectInput,
  collect,
  getPayment,
  type ListPaymentsQuery,
  listPayments,
} from './payments/payments-service.js'
import { type RefundInput, refundPayment } from './payments/refunds-service.js'
import { type TickResult, tick } from './payments/tick.js'
import type { Payment, PaymentMethod } from './payments/types.js'
import { handleWebhook, type WebhookInput, type WebhookOutcome } from './payments/webhooks-service.js'
import { createPlan, getPlan, listPlans, updatePlan } from './plans/plans-service.js'
import type { Plan, PlanInput, PlanUpdate } from './plans/types.js'
import type { Storage } from './ports.js'
import {
  type CancelSubscriptionOptions,
  type ChangePlanOptions,
  cancelSubscription,
  changePlan,
  createSubscription,
  getSubscription,
  type ListSubscriptionsQuery,
  listSubscriptions,
} from './subscriptions/subscriptions-service.js'
import type { Subscription, SubscriptionInput } from './subscriptions/types.js'

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
}

/** A billing instance: every namespace of the public API. */
export interface Billing {
  events: {
    /** Stores usage events exactly once each and answers per event. */
    ingest(input: IngestInput): Promise<IngestResult>
    /** Pages one customer's event log, oldest first. */
    list(query: ListEventsQuery): Promise<EventPage>
  }
  meters: {
    create(input: MeterInput): Promise<Meter>
    get(code: string): Promise<Meter>
    list(): Promise<Meter[]>
  }
  usage: {
    /** A customer's usage of a meter over `[from, to)`, exact. */
    get(query: UsageQuery): Promise<Usage>
  }
  customers: {
    create(input: CustomerInput): Promise<Customer>
    get(id: string): Promise<Customer>
    update(id: string, update: CustomerUpdate): Promise<Customer>
    list(query?: ListQuery): Promise<Page<Customer>>
  }
  plans: {
    create(input: PlanInput): Promise<Plan>
    /** Stores a new version; subscriptions move to it at their next period start. */
    update(code: string, update: PlanUpdate): Promise<Plan>
    /** The latest version, or the one asked for. */
    get(code: string, version?: number): Promise<Plan>
    list(query?: ListQuery): Promise<Page<Plan>>
  }
  catalog: {
    /**
     * Makes the stored meters and plans match these definitions; safe on every boot of every
     * process: creates what is missing, versions a changed plan, leaves the rest unchanged.
     */
    sync(input: CatalogInput): Promise<CatalogSyncResult>
  }
  subscriptions: {
    create(input: SubscriptionInput): Promise<Subscription>
    get(id: string): Promise<Subscription>
    list(query?: ListSubscriptionsQuery): Promise<Page<Subscription>>
    cancel(id: string, options?: CancelSubscriptionOptions): Promise<Subscription>
    changePlan(id: string, options: ChangePlanOptions): Promise<Subscription>
  }
  invoices: {
    /** Closes every period that has ended: drafts, then finalized invoices after the grace period. */
    run(options?: RunOptions): Promise<InvoiceRunResult>
    preview(query: PreviewInvoiceQuery): Promise<InvoicePreview>
    get(id: string): Promise<Invoice>
    list(query?: ListInvoicesQuery): Promise<Page<Invoice>>
    void(id: string): Promise<Invoice>
    /** A printable invoice: plain text (default) or a self-contained HTML page. */
    render(id: string, options?: RenderInvoiceOptions): Promise<string>
  }
  paymentMethods: {
    /** Stores a reusable authorization you hold (Paystack `authorization_code`, Flutterwave `token`). */
    attach(input: AttachInput): Promise<PaymentMethod>
    /** Verifies a first payment and stores its reusable card. */
    attachFromTransaction(input: AttachFromTransactionInput): Promise<PaymentMethod>
    list(query: ListPaymentMethodsQuery): Promise<PaymentMethod[]>
    detach(id: string): Promise<PaymentMethod>
  }
  payments: {
    /** Charges an open invoice now with the customer's default payment method. */
    collect(input: CollectInput): Promise<Payment | null>
    get(id: string): Promise<Payment>
    list(query: ListPaymentsQuery): Promise<Page<Payment>>
    refund(input: RefundInput): Promise<Payment>
    /** Records money received outside the gateways (a bank transfer) as paying an invoice in full. */
    recordOffline(input: OfflinePaymentInput): Promise<Payment>
  }
  webhooks: {
    /** Verifies and applies a gateway webhook, idempotently; answer the gateway 200 unless it throws. */
    handle(input: WebhookInput): Promise<WebhookOutcome>
  }
  /** Runs everything due: `invoices.run`, collection of new invoices, dunning retries. */
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
  let closed = false
  const open =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      if (closed) return Promise.reject(new BillingError(ErrorCode.CLOSED, 'this billing instance is closed'))
      return guard(() => fn(...args))
    }
  return {
    events: {
      ingest: open((input: IngestInput) => ingestEvents(ctx, input)),
      list: open((query: ListEventsQuery) => listEvents(ctx, query)),
    },
    meters: {
      create: open((input: MeterInput) => createMeter(ctx, input)),
      get: open((code: string) => getMeter(ctx, code)),
      list: open(() => ctx.storage.listMeters()),
    },
    usage: { get: open((query: UsageQuery) => getUsage(ctx, query)) },
    customers: {
      create: open((input: CustomerInput) => createCustomer(ctx, input)),
      get: open((id: string) => getCustomer(ctx, id)),
      update: open((id: string, update: CustomerUpdate) => updateCustomer(ctx, id, update)),
      list: open((query?: ListQuery) => listCustomers(ctx, query)),
    },
    plans: {
      create: open((input: PlanInput) => createPlan(ctx, input)),
      update: open((code: string, update: PlanUpdate) => updatePlan(ctx, code, update)),
      get: open((code: string, version?: number) => getPlan(ctx, code, version)),
      list: open((query?: ListQuery) => listPlans(ctx, query)),
    },
    catalog: { sync: open((input: CatalogInput) => syncCatalog(ctx, input)) },
    subscriptions: {
      create: open((input: SubscriptionInput) => createSubscription(ctx, input)),
      get: open((id: string) => getSubscription(ctx, id)),
      list: open((query?: ListSubscriptionsQuery) => listSubscriptions(ctx, query)),
      cancel: open((id: string, options?: CancelSubscriptionOptions) => cancelSubscription(ctx, id, options)),
      changePlan: open((id: string, options: ChangePlanOptions) => changePlan(ctx, id, options)),
    },
    invoices: {
      run: open(async (options?: RunOptions) => runInvoices(ctx, ...readRunOptions(ctx, options))),
      preview: open((query: PreviewInvoiceQuery) => previewInvoice(ctx, query)),
      get: open((id: string) => getInvoice(ctx, id)),
      list: open((query?: ListInvoicesQuery) => listInvoices(ctx, query)),
      void: open((id: string) => voidInvoice(ctx, id)),
      render: open((id: string, options?: RenderInvoiceOptions) => renderInvoice(ctx, id, options)),
    },
    paymentMethods: {
      attach: open((input: AttachInput) => attachPaymentMethod(ctx, input)),
      attachFromTransaction: open((input: AttachFromTransactionInput) => attachFromTransaction(ctx, input)),
      list: open((query: ListPaymentMethodsQuery) => listPaymentMethods(ctx, query)),
      detach: open((id: string) => detachPaymentMethod(ctx, id)),
    },
    payments: {
      collect: open((input: CollectInput) => collect(ctx, input)),
      get: open((id: string) => getPayment(ctx, id)),
      list: open((query: ListPaymentsQuery) => listPayments(ctx, query)),
      refund: open((input: RefundInput) => refundPayment(ctx, input)),
      recordOffline: open((input: OfflinePaymentInput) => recordOffline(ctx, input)),
    },
    webhooks: { handle: open((input: WebhookInput) => handleWebhook(ctx, input)) },
    tick: open((options?: RunOptions) => tick(ctx, ...readRunOptions(ctx, options))),
    async close() {
      if (closed) return
      closed = true
      await guard(() => ctx.storage.close())
    },
  }
}

function contextFrom(options: BillingOptions): BillingContext {
  const invalid = (path: string, message: string) =>
    new ValidationError(ErrorCode.INVALID_OPTIONS, `${path} ${message}`, { path })
  if (typeof options !== 'object' || options === null) throw invalid('options', 'must be an object')
  const storage = options.storage
  if (typeof storage !== 'object' || storage === null || typeof storage.appendEvents !== 'function') {
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
  return { storage, now, rounding, invoicing, gateways: Object.freeze({ ...gateways }), dunning, logger }
}

// Nothing but a BillingError crosses the public API: anything else is a bug or a driver failure,
// wrapped with its cause kept for the logs.
async function guard<R>(fn: () => Promise<R>): Promise<R> {
  try {
    return await fn()
  } catch (error) {
    if (error instanceof BillingError) throw error
    const message = error instanceof Error ? error.message : String(error)
    throw Object.assign(new BillingError(ErrorCode.INTERNAL_ERROR, `unexpected failure: ${message}`), {
      cause: error,
    })
  }
}
