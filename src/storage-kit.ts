/**
 * kobometer/storage-kit: what a storage author needs beyond the user API. The `Storage` port (one
 * sub-store per aggregate: `events`, `meters`, `customers`, `plans`, `subscriptions`, `invoices`,
 * `paymentMethods`, `payments`, with the verb rules in its JSDoc), the shapes it passes, and the pure
 * helpers every built-in storage uses to bucket, deduplicate and roll up events and to place
 * subscriptions in the shards of an invoice run (`shardHash`, `shardOf`, `inShard`), so a new
 * storage computes usage and shards exactly as the others do. Domain records the port returns
 * (`Customer`, `Invoice`, `Plan`, …) come from the package root. Check a storage with the suites in
 * `kobometer/testing`.
 */

export { type DedupedBatch, dedupeBatch } from './core/events/dedupe-batch.js'
export type { PreparedEvent, StoredEvent } from './core/events/types.js'
export { inShard, shardHash, shardOf } from './core/invoices/run-shard.js'
export { BUCKET_MS, bucketOf, MINUTE_MS, minuteOf } from './core/meters/buckets.js'
export type { EffectsFn, EventEffects, MeterWarning } from './core/meters/meter-effects.js'
export {
  aggregateDeltas,
  emptyRollup,
  mergeRollup,
  quantityOf,
  RollupAccumulator,
} from './core/meters/rollup.js'
export type { LatestValue, RollupDelta, RollupState } from './core/meters/types.js'
export type {
  AlertRecord,
  AlertStore,
  ApiKeyRecord,
  ApiKeyStore,
  ApiKeyUse,
  AppendOutcome,
  CustomerStore,
  DeliveryClaim,
  DeliveryOutcome,
  DeliveryState,
  DueSubscriptionQuery,
  EdgeQuery,
  EffectsOf,
  EventQuery,
  EventStore,
  InvoiceCreated,
  InvoiceCreation,
  InvoiceNumbering,
  InvoiceQuery,
  InvoiceStatusPatch,
  InvoiceStore,
  KeyPageQuery,
  MeterStore,
  NotificationQuery,
  NotificationRecord,
  NotificationStore,
  Outbox,
  PaymentCreated,
  PaymentMethodStore,
  PaymentQuery,
  PaymentStore,
  PeriodClose,
  PlanStore,
  RollupQuery,
  SessionKind,
  SessionOwner,
  SessionQuery,
  SessionRecord,
  SessionStore,
  Settlement,
  Storage,
  StorageCapabilities,
  SubscriptionQuery,
  SubscriptionStore,
} from './core/ports/index.js'
