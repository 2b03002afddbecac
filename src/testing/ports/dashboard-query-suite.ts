import { registerLookupQueryTests } from './lookup-query-tests.js'
import type { PortSuite } from './port-suite.js'
import { registerUsageQueryTests } from './usage-query-tests.js'
import { registerUsageTotalsTests } from './usage-totals-tests.js'

/**
 * The queries an operator dashboard reads across customers: `meters.usageSeries` and
 * `meters.topCustomers`, `customers.search`, `entitlements.nearLimit` and `invoices.totals`.
 *
 * @example
 * runStorageSuites({ name: 'mine', create, suites: [dashboardQuerySuite] })
 */
export const dashboardQuerySuite: PortSuite = {
  id: 'dashboard',
  title: 'storage dashboard queries',
  register: (ctx) => {
    registerUsageQueryTests(ctx)
    registerUsageTotalsTests(ctx)
    registerLookupQueryTests(ctx)
  },
}
