import type { EntitlementView } from './entitlements/entitlement-view.js'
import type { SellerDetails } from './invoices/party-details.js'
import type { Logger } from './logger.js'
import type { RoundingMode } from './money/rounding.js'
import type { NotificationSettings } from './notifications/notification-options.js'
import type { PaymentGateway } from './payments/gateway-port.js'
import type { Storage } from './ports/index.js'
import type { SessionSettings } from './sessions/session-options.js'

/** How invoices are closed and numbered. */
export interface InvoicingSettings {
  /** Drafts stay open for late events this long after their period ends. */
  readonly graceMs: number
  /** Invoice numbers are this prefix and a six-digit (or longer) gapless sequence number. */
  readonly numberPrefix: string
  /** `due_at` is this many days after finalization. */
  readonly dueDays: number
  /** The supplier printed on invoices; copied onto each invoice when it is finalized. */
  readonly seller: Readonly<SellerDetails> | null
}

/** How failed invoices are chased. */
export interface DunningSettings {
  /** Retries, in days after the first failure (default 1, 3, 5, 7). */
  readonly retryDays: readonly number[]
  /** After the last retry fails: pause the subscription (default) or leave it past_due. */
  readonly afterFinalFailure: 'pause' | 'keep'
  /** How long a process owns a charge attempt it started before another may resolve it. */
  readonly leaseMs: number
}

/** What every service of one billing instance shares. */
export interface BillingContext {
  readonly storage: Storage
  /** The injected clock: every "now" comes from here. */
  readonly now: () => number
  readonly rounding: RoundingMode
  readonly invoicing: InvoicingSettings
  /** Payment gateways by name (`'paystack'`, `'flutterwave'`). */
  readonly gateways: Readonly<Record<string, PaymentGateway>>
  readonly dunning: DunningSettings
  /** Where runs, charges, gateway answers and retries are reported (a no-op unless given). */
  readonly logger: Logger
  /** This process's view of customers' entitlements (what `check` answers from). */
  readonly entitlements: EntitlementView
  /** Where notifications are delivered, and how hard delivery tries. */
  readonly notifications: NotificationSettings
  /** How long dashboard sign-ins last, and where portal links point. */
  readonly sessions: SessionSettings
}
