/**
 * kobometer/testing: the suites that check a storage adapter, and the fake gateways.
 *
 * - `runStorageSuites` registers every suite for one storage: the port suite of each sub-store
 *   (`eventStoreSuite`, `invoiceStoreSuite`, … also exported on their own, for `suites`), the
 *   cross-process suite (child processes racing one store, run when the storage declares
 *   `capabilities.sharedAcrossProcesses`), your `additionalTests`, and the conformance suite.
 * - `runStorageConformance` registers the conformance suite alone: every promise of the port,
 *   through `createBilling`.
 *
 * The suites register vitest tests and the conformance suite's property tests use fast-check, so a
 * project that imports this entry needs `vitest` (4.x) and `fast-check` (4.x) installed, usually
 * as dev dependencies. They are not dependencies of kobometer. The cross-process suite spawns
 * `node` on a worker shipped in the package (`dist/testing/storage-worker.js`), which imports the
 * module you name; pass `execArgv: ['--import', 'tsx']` when that module is TypeScript. For the
 * fake gateways alone, without vitest or fast-check, import from `kobometer/testing/fakes`.
 */

export type { CrossProcessOptions } from './cross-process/cross-process-options.js'
export type { JsonValue } from './cross-process/worker-protocol.js'
export * from './fakes/index.js'
export { naiveUsage, type OracleEvent, type OracleMeter } from './oracle.js'
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
  type PortSuite,
  type PortSuiteContext,
  paymentMethodStoreSuite,
  paymentStoreSuite,
  planStoreSuite,
  portSuites,
  type SuiteTest,
  sessionStoreSuite,
  subscriptionStoreSuite,
} from './ports/index.js'
export { runStorageConformance, type StorageConformanceOptions } from './storage-conformance.js'
export { runStorageSuites, type StorageSuitesOptions } from './storage-suites.js'
