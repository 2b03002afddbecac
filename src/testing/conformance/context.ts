import type { Billing } from '../../core/billing.js'
import type { EventInput } from '../../core/events/types.js'
import type { Storage } from '../../core/ports/index.js'

/** The clock every conformance test starts from: 2026-06-01T00:00:00Z. */
export const SUITE_NOW = Date.UTC(2026, 5, 1)

/** Registers one conformance test: vitest's `it`, or one that `runStorageSuites`' `skipTests` can skip. */
export type ConformanceTest = (title: string, body: () => Promise<void>, timeout?: number) => void

/** What each group of conformance tests gets. */
export interface ConformanceContext {
  /** Registers a test (use it instead of vitest's `it`). */
  it: ConformanceTest
  /** The billing instance on the storage under test (one per suite run). */
  billing(): Billing
  /** The storage under test. */
  storage(): Storage
  /** A prefix unique to the calling test, for customer ids, event names and meter codes. */
  unique(label: string): string
  /** Moves the injected clock. */
  setNow(ms: number): void
}

/**
 * An event of the test namespaced by `ns`: event name `<ns>call`, customer `<ns>cus`, key
 * `<ns><key>`, a minute before {@link SUITE_NOW}, with `properties` unless `extra` replaces them.
 *
 * @example
 * await t.billing().events.ingest({ events: [suiteEvent(ns, 'a', { properties: { tokens: 5 } })] })
 */
export function suiteEvent(
  ns: string,
  key: string,
  extra: Partial<EventInput> = {},
  properties: EventInput['properties'] = {},
): EventInput {
  return {
    event_name: `${ns}call`,
    customer_id: `${ns}cus`,
    idempotency_key: `${ns}${key}`,
    timestamp: SUITE_NOW - 60_000,
    properties,
    ...extra,
  }
}
