import { afterAll, beforeAll, describe, it } from 'vitest'
import { type Billing, createBilling } from '../core/billing.js'
import type { Storage } from '../core/ports/index.js'
import { alertTests } from './conformance/alert-tests.js'
import { apiKeyTests } from './conformance/api-key-tests.js'
import { billingCycleTests } from './conformance/billing-cycle-tests.js'
import { billingErrorTests } from './conformance/billing-errors-tests.js'
import { catalogTests } from './conformance/catalog-tests.js'
import { checkoutTests } from './conformance/checkout-tests.js'
import { churnTests } from './conformance/churn-tests.js'
import { concurrencyTests } from './conformance/concurrency-tests.js'
import { type ConformanceContext, type ConformanceTest, SUITE_NOW } from './conformance/context.js'
import { entitlementTests } from './conformance/entitlement-tests.js'
import { exactStringTests } from './conformance/exact-string-tests.js'
import { exactValueTests } from './conformance/exact-value-tests.js'
import { hostileInputTests } from './conformance/hostile-input-tests.js'
import { ingestTests } from './conformance/ingest-tests.js'
import { invoiceContentTests } from './conformance/invoice-content-tests.js'
import { invoiceRunFailureTests } from './conformance/invoice-run-failure-tests.js'
import { lifecycleNotificationTests } from './conformance/lifecycle-notification-tests.js'
import { listTests } from './conformance/list-tests.js'
import { meterTests } from './conformance/meter-tests.js'
import { notificationTests } from './conformance/notification-tests.js'
import { notificationWebhookTests } from './conformance/notification-webhook-tests.js'
import { offlinePaymentTests } from './conformance/offline-payment-tests.js'
import { sessionTests } from './conformance/session-tests.js'
import { topUpTests } from './conformance/top-up-tests.js'
import { usageTests } from './conformance/usage-tests.js'

/** How to run the storage conformance suite against one storage. */
export interface StorageConformanceOptions {
  /** Shown in test titles. */
  name: string
  /** A storage on a fresh, empty store (a new file, schema or database). */
  create: () => Storage | Promise<Storage>
  /**
   * Drops what `create` made, after the storage is closed. Called once per `create`, with the
   * storage it returned.
   */
  destroy?: (storage: Storage) => void | Promise<void>
  /** When set, the whole suite is skipped with this one-line reason (e.g. no database URL). */
  skip?: string
}

/**
 * Registers the storage conformance suite with vitest: every promise of the `Storage` port, through
 * `createBilling`. Run it from a two-line test file for each storage, including your own.
 *
 * @example
 * import { runStorageConformance } from 'kobometer/testing'
 * import { sqliteStorage } from 'kobometer/sqlite'
 * runStorageConformance({ name: 'sqlite', create: () => sqliteStorage({ filename: ':memory:' }) })
 */
export function runStorageConformance(options: StorageConformanceOptions): void {
  registerConformance(options, (title, body, timeout) => it(title, body, timeout))
}

/**
 * Registers the conformance suite with each test registered through `test`: how `runStorageSuites`
 * makes its tests skippable by title.
 *
 * @example
 * registerConformance(options, registry.titled('conformance'))
 */
export function registerConformance(options: StorageConformanceOptions, test: ConformanceTest): void {
  const suite = options.skip ? describe.skip : describe
  suite(`storage conformance: ${options.name}${options.skip ? ` (skipped: ${options.skip})` : ''}`, () => {
    let storage: Storage | undefined
    let billing: Billing | undefined
    let now = SUITE_NOW
    let counter = 0
    const run = Math.random().toString(36).slice(2, 8)

    beforeAll(async () => {
      storage = await options.create()
      billing = await createBilling({ storage, clock: () => now })
    }, 120_000)
    afterAll(async () => {
      await billing?.close()
      if (storage !== undefined) await options.destroy?.(storage)
    }, 120_000)

    const ctx: ConformanceContext = {
      it: test,
      billing: () => billing ?? failSetup(),
      storage: () => storage ?? failSetup(),
      unique: (label) => `${label}_${run}_${++counter}_`,
      setNow: (ms) => {
        now = ms
      },
    }
    ingestTests(ctx)
    hostileInputTests(ctx)
    meterTests(ctx)
    usageTests(ctx)
    listTests(ctx)
    concurrencyTests(ctx)
    billingCycleTests(ctx)
    invoiceContentTests(ctx)
    invoiceRunFailureTests(ctx)
    billingErrorTests(ctx)
    offlinePaymentTests(ctx)
    checkoutTests(ctx)
    entitlementTests(ctx)
    topUpTests(ctx)
    alertTests(ctx)
    exactStringTests(ctx)
    exactValueTests(ctx)
    catalogTests(ctx)
    notificationTests(ctx)
    notificationWebhookTests(ctx)
    lifecycleNotificationTests(ctx)
    apiKeyTests(ctx)
    sessionTests(ctx)
    // Last: its ticks run invoicing and collection over every test's subscriptions.
    churnTests(ctx)
  })
}

function failSetup(): never {
  throw new Error('the storage under test failed to start; see the beforeAll error')
}
