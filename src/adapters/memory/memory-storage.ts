import type { Storage, StorageCapabilities } from '../../core/ports/index.js'
import { MemoryAlertStore } from './memory-alert-store.js'
import { MemoryAllowances } from './memory-allowances.js'
import { MemoryApiKeyStore } from './memory-api-key-store.js'
import { MemoryCustomerStore } from './memory-customer-store.js'
import { MemoryEntitlementStore } from './memory-entitlement-store.js'
import { MemoryEventStore } from './memory-event-store.js'
import { MemoryInvoiceStore } from './memory-invoice-store.js'
import { MemoryMeterStore } from './memory-meter-store.js'
import { MemoryNotificationStore } from './memory-notification-store.js'
import type { WriteOutbox } from './memory-outbox.js'
import { MemoryPaymentMethodStore } from './memory-payment-method-store.js'
import { MemoryPaymentStore } from './memory-payment-store.js'
import { MemoryPlanStore } from './memory-plan-store.js'
import { MemorySessionStore } from './memory-session-store.js'
import { MemorySubscriptionStore } from './memory-subscription-store.js'
import { MemoryUsage } from './memory-usage.js'

/**
 * Everything in this process's memory: for tests, demos and single-process tools. Each method runs
 * to completion without yielding, so calls are atomic with respect to each other; nothing survives
 * the process.
 */
export class MemoryStorage implements Storage {
  readonly name = 'memory'
  readonly capabilities: StorageCapabilities = Object.freeze({ sharedAcrossProcesses: false })
  readonly events: MemoryEventStore
  readonly meters: MemoryMeterStore
  readonly customers = new MemoryCustomerStore()
  readonly plans = new MemoryPlanStore()
  readonly notifications = new MemoryNotificationStore()
  readonly subscriptions: MemorySubscriptionStore
  readonly invoices: MemoryInvoiceStore
  readonly paymentMethods = new MemoryPaymentMethodStore()
  readonly payments: MemoryPaymentStore
  readonly entitlements: MemoryEntitlementStore
  readonly alerts = new MemoryAlertStore()
  readonly apiKeys = new MemoryApiKeyStore()
  readonly sessions = new MemorySessionStore()

  constructor() {
    const usage = new MemoryUsage()
    const notifications = this.notifications
    const write: WriteOutbox = (records) => {
      notifications.addNow(records)
    }
    const allowances = new MemoryAllowances(write)
    this.events = new MemoryEventStore(usage, allowances)
    this.entitlements = new MemoryEntitlementStore(usage, allowances)
    const entitlements = this.entitlements
    this.subscriptions = new MemorySubscriptionStore(write)
    this.payments = new MemoryPaymentStore(write)
    this.invoices = new MemoryInvoiceStore(
      this.subscriptions,
      (key, quantity, now) => {
        entitlements.grantNow(key, quantity, now)
      },
      write,
    )
    this.meters = new MemoryMeterStore(usage)
  }

  async migrate(): Promise<void> {}

  async close(): Promise<void> {}
}

/**
 * A storage in this process's memory: fast, and gone when the process ends. For tests, demos and
 * trying kobometer out.
 *
 * @example
 * import { createBilling } from 'kobometer'
 * import { memoryStorage } from 'kobometer/memory'
 * const billing = await createBilling({ storage: memoryStorage() })
 */
export function memoryStorage(): Storage {
  return new MemoryStorage()
}
