import type { AppendOutcome } from '../ports/index.js'
import type { PreparedEvent } from './types.js'

/** A batch with repeated idempotency keys folded to their first occurrence. */
export interface DedupedBatch<T extends Pick<PreparedEvent, 'idempotency_key' | 'payload_hash'>> {
  /** First occurrences, in order: what is sent to the store. */
  unique: T[]
  /** Maps the store's outcomes for `unique` back to one outcome per original item. */
  resolve(outcomes: readonly AppendOutcome[]): AppendOutcome[]
}

/**
 * Folds repeated keys within one batch: the first occurrence goes to the store; a repeat is a
 * `duplicate` when its payload equals what ends up stored under the key (the first occurrence if it
 * was accepted, else what was stored before), and a `conflict` otherwise. Storages that merge
 * concurrent calls into one transaction (group commit) use it too.
 *
 * @example
 * const batch = dedupeBatch(events)
 * const outcomes = batch.resolve(await storage.events.append(batch.unique, effects))
 */
export function dedupeBatch<T extends Pick<PreparedEvent, 'idempotency_key' | 'payload_hash'>>(
  items: readonly T[],
): DedupedBatch<T> {
  // One item cannot repeat a key: nothing to fold or map back.
  return items.length < 2 ? { unique: [...items], resolve: copyOf } : foldRepeats(items)
}

const copyOf = (outcomes: readonly AppendOutcome[]): AppendOutcome[] => [...outcomes]

function foldRepeats<T extends Pick<PreparedEvent, 'idempotency_key' | 'payload_hash'>>(
  items: readonly T[],
): DedupedBatch<T> {
  const firstIndex = new Map<string, number>()
  const unique: T[] = []
  const slot: number[] = []
  let repeats = false
  for (const item of items) {
    const seen = firstIndex.get(item.idempotency_key)
    if (seen === undefined) {
      firstIndex.set(item.idempotency_key, unique.length)
      slot.push(unique.length)
      unique.push(item)
    } else {
      slot.push(-1 - seen)
      repeats = true
    }
  }
  return {
    unique,
    resolve(outcomes) {
      if (!repeats) return copyOf(outcomes)
      return items.map((item, i) => {
        const s = slot[i]!
        if (s >= 0) return outcomes[s]!
        const first = outcomes[-1 - s]!
        // The first was refused, so nothing is stored under the key: the repeat is refused alike.
        if (first.status === 'closed' || first.status === 'refused') return first
        const storedHash = first.status === 'accepted' ? unique[-1 - s]!.payload_hash : first.stored_hash
        return {
          status: item.payload_hash === storedHash ? 'duplicate' : 'conflict',
          stored_hash: storedHash,
        }
      })
    },
  }
}
