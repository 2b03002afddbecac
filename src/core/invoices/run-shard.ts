import { ErrorCode, ValidationError } from '../errors.js'

/** The most shards a run may be split into. */
export const MAX_SHARDS = 1024

/**
 * One of `count` disjoint parts of an invoice run: the subscriptions whose id hashes to `index`.
 * Workers that call `invoices.run` with shards `0 … count - 1` of the same `count` share the work
 * without overlap; together they do what one unsharded run does.
 */
export interface InvoiceRunShard {
  /** This worker's part, `0 ≤ index < count`. */
  index: number
  /** How many parts the run is split into, 1 to 1,024. */
  count: number
}

const shardError = (path: string, message: string) =>
  new ValidationError(ErrorCode.VALIDATION_ERROR, message, { path })

/**
 * The shard option of `invoices.run`, checked: `undefined` when absent; a malformed one throws
 * `ValidationError` naming `shard.count` or `shard.index`.
 *
 * @example
 * readShard({ index: 1, count: 4 }) // { index: 1, count: 4 }
 */
export function readShard(shard: unknown): InvoiceRunShard | undefined {
  if (shard === undefined) return undefined
  if (typeof shard !== 'object' || shard === null) throw shardError('shard', 'shard must be { index, count }')
  const { index, count } = shard as Record<string, unknown>
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_SHARDS)
    throw shardError('shard.count', `shard.count must be an integer from 1 to ${MAX_SHARDS}`)
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= count)
    throw shardError('shard.index', 'shard.index must be an integer from 0 to shard.count - 1')
  return { index, count }
}

/**
 * A subscription's shard hash: the 32-bit FNV-1a hash of its id's UTF-16 code units, an integer
 * from 0 to 2³² − 1. Stable across processes, platforms and releases; SQL storages keep it beside
 * subscriptions and invoices (`shard_hash`) so a shard's rows are filtered where they are read.
 *
 * @example
 * shardHash('sub_1') % 4 // the shard of `sub_1` among 4
 */
export function shardHash(subscriptionId: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < subscriptionId.length; i++) {
    hash ^= subscriptionId.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash
}

/**
 * The shard a subscription belongs to among `count`: its {@link shardHash} modulo `count`.
 *
 * @example
 * shardOf('sub_01J…', 2) // 0 or 1, the same in every process
 */
export function shardOf(subscriptionId: string, count: number): number {
  return shardHash(subscriptionId) % count
}

/**
 * Whether a run limited to `shard` (all of them when `undefined`) takes the subscription.
 *
 * @example
 * subs.filter((sub) => inShard(shard, sub.id))
 */
export function inShard(shard: InvoiceRunShard | undefined, subscriptionId: string): boolean {
  return shard === undefined || shard.count === 1 || shardOf(subscriptionId, shard.count) === shard.index
}
