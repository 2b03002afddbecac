/**
 * kobometer/testing: the storage conformance suite and the fake gateways.
 *
 * `runStorageConformance` registers vitest suites and its property tests use fast-check, so a project
 * that imports this entry needs `vitest` (4.x) and `fast-check` (4.x) installed, usually as dev
 * dependencies. They are not dependencies of kobometer. For the fake gateways alone, without either,
 * import from `kobometer/testing/fakes`.
 */

export * from './fakes/index.js'
export { naiveUsage, type OracleEvent, type OracleMeter } from './oracle.js'
export { runStorageConformance, type StorageConformanceOptions } from './storage-conformance.js'
