import { apiKeyStoreSuite } from './api-key-store-suite.js'
import { customerStoreSuite } from './customer-store-suite.js'
import { dashboardQuerySuite } from './dashboard-query-suite.js'
import { entitlementStoreSuite } from './entitlement-store-suite.js'
import { eventStoreSuite } from './event-store-suite.js'
import { invoiceStoreSuite } from './invoice-store-suite.js'
import { meterStoreSuite } from './meter-store-suite.js'
import { notificationStoreSuite } from './notification-store-suite.js'
import { outboxStoreSuite } from './outbox-store-suite.js'
import { paymentMethodStoreSuite } from './payment-method-store-suite.js'
import { paymentStoreSuite } from './payment-store-suite.js'
import { planStoreSuite } from './plan-store-suite.js'
import type { PortSuite } from './port-suite.js'
import { sessionStoreSuite } from './session-store-suite.js'
import { subscriptionStoreSuite } from './subscription-store-suite.js'

export type { PortSuite, PortSuiteContext, SuiteTest } from './port-suite.js'
export {
  apiKeyStoreSuite,
  customerStoreSuite,
  dashboardQuerySuite,
  entitlementStoreSuite,
  eventStoreSuite,
  invoiceStoreSuite,
  meterStoreSuite,
  notificationStoreSuite,
  outboxStoreSuite,
  paymentMethodStoreSuite,
  paymentStoreSuite,
  planStoreSuite,
  sessionStoreSuite,
  subscriptionStoreSuite,
}

/** Every sub-store's port suite, in the order `runStorageSuites` registers them. */
export const portSuites: readonly PortSuite[] = Object.freeze([
  eventStoreSuite,
  meterStoreSuite,
  customerStoreSuite,
  planStoreSuite,
  subscriptionStoreSuite,
  invoiceStoreSuite,
  paymentMethodStoreSuite,
  paymentStoreSuite,
  entitlementStoreSuite,
  notificationStoreSuite,
  outboxStoreSuite,
  apiKeyStoreSuite,
  dashboardQuerySuite,
  sessionStoreSuite,
])
