import { dedupeBatch } from '../../core/events/dedupe-batch.js'
import type { PreparedEvent } from '../../core/events/types.js'
import type { EffectsFn } from '../../core/meters/meter-effects.js'
import type { Meter } from '../../core/meters/types.js'
import type { AppendOutcome } from '../../core/ports/index.js'

/** One `events.append` call: its events and how to compute their effects under given meters. */
export interface AppendRequest {
  readonly events: readonly PreparedEvent[]
  readonly effects: (meters: readonly Meter[]) => EffectsFn
}

/** Several calls as one batch of distinct keys, and the way back to each call's outcomes. */
export interface MergedRequests {
  /** Distinct keys, first occurrence first: what goes to the store. */
  readonly events: readonly PreparedEvent[]
  /** The effects factory of the call that sent `events[index]`. */
  effectsAt(index: number): AppendRequest['effects']
  /** Outcomes of `events` → one list per call, in each call's order. */
  resolve(outcomes: readonly AppendOutcome[]): AppendOutcome[][]
}

interface Item {
  readonly idempotency_key: string
  readonly payload_hash: string
  readonly event: PreparedEvent
  readonly effects: AppendRequest['effects']
}

/**
 * Merges calls for one transaction. A single call passes through untouched (its keys are distinct
 * by the port's contract); across calls a repeated key goes to the store once, and each repeat is a
 * duplicate or conflict of whatever ends up stored under it (core's `dedupeBatch` rule).
 *
 * @example
 * const merged = mergeRequests([{ events: a, effects }, { events: b, effects }])
 * const [forA, forB] = merged.resolve(outcomesOf(merged.events))
 */
export function mergeRequests(requests: readonly AppendRequest[]): MergedRequests {
  const only = requests[0]
  if (requests.length === 1 && only !== undefined) return new OneRequest(only)
  const items: Item[] = []
  for (const { events, effects } of requests) {
    for (const event of events) {
      items.push({ idempotency_key: event.idempotency_key, payload_hash: event.payload_hash, event, effects })
    }
  }
  const batch = dedupeBatch(items)
  return {
    events: batch.unique.map((item) => item.event),
    effectsAt: (index) => batch.unique[index]!.effects,
    resolve: (outcomes) => {
      const all = batch.resolve(outcomes)
      const perRequest: AppendOutcome[][] = []
      let offset = 0
      for (const { events } of requests) {
        perRequest.push(all.slice(offset, offset + events.length))
        offset += events.length
      }
      return perRequest
    },
  }
}

// A single call, passed through untouched.
class OneRequest implements MergedRequests {
  readonly #request: AppendRequest

  constructor(request: AppendRequest) {
    this.#request = request
  }

  get events(): readonly PreparedEvent[] {
    return this.#request.events
  }

  effectsAt(): AppendRequest['effects'] {
    return this.#request.effects
  }

  resolve(outcomes: readonly AppendOutcome[]): AppendOutcome[][] {
    return [[...outcomes]]
  }
}
