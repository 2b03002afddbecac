import type { Billing } from '../../core/billing.js'
import type { Storage } from '../../core/ports.js'

/** The clock every conformance test starts from: 2026-06-01T00:00:00Z. */
export const SUITE_NOW = Date.UTC(2026, 5, 1)

/** What each group of conformance tests gets. */
export interface ConformanceContext {
  /** The billing instance on the storage under test (one per suite run). */
  billing(): Billing
  /** The storage under test. */
  storage(): Storage
  /** A prefix unique to the calling test, for customer ids, event names and meter codes. */
  unique(label: string): string
  /** Moves the injected clock. */
  setNow(ms: number): void
}
