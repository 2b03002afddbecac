/**
 * kobometer: embeddable usage-based billing. This entry holds the pure core (money, pricing, errors);
 * storages and gateways live in their own subpaths (`kobometer/sqlite`, `kobometer/paystack`, …).
 */

export { type Billing, type BillingOptions, createBilling } from './core/billing.js'
export {
  BillingError,
  type BillingErrorDetails,
  ConflictError,
  ErrorCode,
  NotFoundError,
  ValidationError,
  type ValidationIssue,
} from './core/errors.js'
export { type DedupedBatch, dedupeBatch } from './core/events/dedupe-batch.js'
export { EVENT_LIMITS } from './core/events/limits.js'
export type { EventPage, ListEventsQuery } from './core/events/list-events.js'
// For storage adapter authors: the shapes the port passes, and the pure helpers every adapter uses.
export type {
  BillingEvent,
  EventError,
  EventInput,
  IngestEventResult,
  IngestInput,
  IngestResult,
  IngestStatus,
  IngestWarning,
  PreparedEvent,
  PropertyValue,
  StoredEvent,
  TimeInput,
} from './core/events/types.js'
export { BUCKET_MS, bucketOf } from './core/meters/buckets.js'
export type { EffectsFn, EventEffects, MeterWarning } from './core/meters/meter-effects.js'
export {
  aggregateDeltas,
  emptyRollup,
  mergeRollup,
  quantityOf,
  RollupAccumulator,
} from './core/meters/rollup.js'
export type {
  Aggregation,
  LatestValue,
  Meter,
  MeterInput,
  RollupDelta,
  RollupState,
} from './core/meters/types.js'
export type { Usage, UsageQuery } from './core/meters/usage.js'
export {
  type Amount,
  type CurrencyInfo,
  type FormatMoneyOptions,
  formatMoney,
  fromMinorUnits,
  getCurrency,
  isKnownCurrency,
  listCurrencies,
  parseAmount,
  type Quantity,
  ROUNDING_MODES,
  type RoundingMode,
  roundMinor,
  toMinorUnits,
} from './core/money/index.js'
export type {
  AppendOutcome,
  EdgeQuery,
  EventQuery,
  RollupQuery,
  Storage,
  StorageCapabilities,
} from './core/ports.js'
export * from './core/pricing/index.js'
