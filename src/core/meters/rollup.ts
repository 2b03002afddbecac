import { Decimal } from '../money/decimal.js'
import type { Aggregation, LatestValue, RollupDelta, RollupState } from './types.js'

/** The state of no events. */
export function emptyRollup(): RollupState {
  return { count: 0, sum: null, min: null, max: null, latest: null, values: null }
}

/**
 * Whether `a` is later than `b`: greater timestamp, ties broken by idempotency key, so the result
 * never depends on arrival order.
 */
export function isLater(a: LatestValue, b: LatestValue): boolean {
  return a.timestamp > b.timestamp || (a.timestamp === b.timestamp && a.key > b.key)
}

/**
 * Folds any number of rollup states into one, exactly (decimal arithmetic), in time linear in
 * what it is given. Order does not matter.
 *
 * @example
 * const acc = new RollupAccumulator()
 * acc.add({ ...emptyRollup(), count: 1, sum: '0.1' }); acc.add({ ...emptyRollup(), count: 1, sum: '0.2' })
 * acc.result().sum // '0.3'
 */
export class RollupAccumulator {
  #count = 0
  // Sums of small integers (token counts, the common case) stay in a JS integer, which is exact
  // while it is a safe integer; anything else, or an overflow, moves into the decimal.
  #intSum = 0
  #decimalSum: Decimal | null = null
  #hasSum = false
  #min: Decimal | null = null
  #max: Decimal | null = null
  #latest: LatestValue | null = null
  #values: Set<string> | null = null

  add(state: RollupState): this {
    this.#count += state.count
    if (state.sum !== null) this.#addSum(state.sum)
    if (state.min !== null) {
      const min = new Decimal(state.min)
      if (this.#min === null || min.lessThan(this.#min)) this.#min = min
    }
    if (state.max !== null) {
      const max = new Decimal(state.max)
      if (this.#max === null || max.greaterThan(this.#max)) this.#max = max
    }
    if (state.latest !== null && (this.#latest === null || isLater(state.latest, this.#latest))) {
      this.#latest = state.latest
    }
    if (state.values !== null) {
      this.#values ??= new Set()
      for (const value of state.values) this.#values.add(value)
    }
    return this
  }

  result(): RollupState {
    return {
      count: this.#count,
      sum: this.#hasSum ? this.#sumText() : null,
      min: this.#min?.toFixed() ?? null,
      max: this.#max?.toFixed() ?? null,
      latest: this.#latest,
      values: this.#values === null ? null : [...this.#values],
    }
  }

  #addSum(sum: string): void {
    this.#hasSum = true
    if (SMALL_INTEGER.test(sum)) {
      const next = this.#intSum + Number(sum)
      if (Number.isSafeInteger(next)) {
        this.#intSum = next
        return
      }
    }
    this.#decimalSum = (this.#decimalSum ?? new Decimal(0)).plus(sum)
  }

  #sumText(): string {
    if (this.#decimalSum === null) return String(this.#intSum)
    return this.#decimalSum.plus(this.#intSum).toFixed()
  }
}

// At most 15 digits: any two such values add up to a safe integer.
const SMALL_INTEGER = /^-?\d{1,15}$/

/**
 * Merges two rollup states.
 *
 * @example
 * mergeRollup({ ...emptyRollup(), count: 1, max: '3' }, { ...emptyRollup(), count: 2, max: '7' }) // count 3, max '7'
 */
export function mergeRollup(a: RollupState, b: RollupState): RollupState {
  return new RollupAccumulator().add(a).add(b).result()
}

/**
 * Folds per-event deltas into one delta per (meter, customer, bucket), sorted by that key so
 * every storage writes rows in the same order (no lock-order deadlocks between transactions).
 *
 * @example
 * aggregateDeltas([d1, d2]) // one delta per distinct (meter, customer_id, bucket)
 */
export function aggregateDeltas(deltas: readonly RollupDelta[]): RollupDelta[] {
  const byKey = new Map<string, { first: RollupDelta; acc: RollupAccumulator | null }>()
  for (const delta of deltas) {
    const key = `${delta.meter}\u0000${delta.customer_id}\u0000${delta.bucket}`
    const seen = byKey.get(key)
    if (seen === undefined) {
      byKey.set(key, { first: delta, acc: null })
    } else {
      seen.acc ??= new RollupAccumulator().add(seen.first)
      seen.acc.add(delta)
    }
  }
  const out: RollupDelta[] = []
  for (const { first, acc } of byKey.values()) {
    out.push(
      acc === null
        ? first
        : { ...acc.result(), meter: first.meter, customer_id: first.customer_id, bucket: first.bucket },
    )
  }
  return out.sort(compareRollupKeys)
}

function compareRollupKeys(a: RollupDelta, b: RollupDelta): number {
  if (a.meter !== b.meter) return a.meter < b.meter ? -1 : 1
  if (a.customer_id !== b.customer_id) return a.customer_id < b.customer_id ? -1 : 1
  return a.bucket - b.bucket
}

/**
 * The meter's quantity for an aggregated state, as an exact decimal string. No events → `'0'`.
 *
 * @example
 * quantityOf('unique_count', { ...emptyRollup(), values: ['a', 'b'] }) // '2'
 */
export function quantityOf(aggregation: Aggregation, state: RollupState): string {
  switch (aggregation) {
    case 'count':
      return String(state.count)
    case 'sum':
      return state.sum ?? '0'
    case 'min':
      return state.min ?? '0'
    case 'max':
      return state.max ?? '0'
    case 'latest':
      return state.latest?.value ?? '0'
    case 'unique_count':
      return String(state.values?.length ?? 0)
  }
}
