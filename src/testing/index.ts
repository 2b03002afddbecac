export { naiveUsage, type OracleEvent, type OracleMeter } from './oracle.js'
export { runStorageConformance, type StorageConformanceOptions } from './storage-conformance.js'
