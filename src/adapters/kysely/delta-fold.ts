import { RollupAccumulator } from '../../core/meters/rollup.js'
import type { RollupDelta, RollupState } from '../../core/meters/types.js'

interface Entry {
  meter: string
  customer_id: string
  bucket: number
  acc: RollupAccumulator
}

/**
 * A pending row as stored: one column array per field, entry `i` of each describing delta `i`;
 * meters and customers are listed once and referred to by position. A field null for every delta
 * (a count meter has no sum) is left out.
 */
interface Columns {
  meters: string[]
  customers: string[]
  meter: number[]
  customer: number[]
  bucket: number[]
  count: number[]
  sum?: Array<string | null>
  min?: Array<string | null>
  max?: Array<string | null>
  latest?: Array<[timestamp: number, key: string, value: string] | null>
  values?: Array<string[] | null>
}

/**
 * The pending rows of the deferred merge folded into one delta per (meter, customer, bucket),
 * exactly (the rollups' own accumulator): what the merge writes to the rollups.
 *
 * @example
 * const merged = new DeltaFold().addEncoded(encodeDeltas(first)).addEncoded(encodeDeltas(second)).deltas()
 */
export class DeltaFold {
  readonly #entries = new Map<string, Entry>()

  /** Folds in a row written by `encodeDeltas`. */
  addEncoded(text: string): this {
    const c = JSON.parse(text) as Columns
    // One scratch state for every delta: the accumulator copies what it keeps (a latest value is
    // a fresh object per delta, as it keeps the reference).
    const state: RollupState = { count: 0, sum: null, min: null, max: null, latest: null, values: null }
    for (let i = 0; i < c.bucket.length; i++) {
      state.count = c.count[i]!
      state.sum = c.sum?.[i] ?? null
      state.min = c.min?.[i] ?? null
      state.max = c.max?.[i] ?? null
      const latest = c.latest?.[i] ?? null
      state.latest = latest === null ? null : { timestamp: latest[0], key: latest[1], value: latest[2] }
      state.values = c.values?.[i] ?? null
      this.#entry(c.meters[c.meter[i]!]!, c.customers[c.customer[i]!]!, c.bucket[i]!).acc.add(state)
    }
    return this
  }

  /** The folded deltas, one per (meter, customer, bucket), in no particular order. */
  deltas(): RollupDelta[] {
    const out: RollupDelta[] = []
    for (const { meter, customer_id, bucket, acc } of this.#entries.values())
      out.push({ ...acc.result(), meter, customer_id, bucket })
    return out
  }

  #entry(meter: string, customer_id: string, bucket: number): Entry {
    const key = `${meter}\u0000${customer_id}\u0000${bucket}`
    let entry = this.#entries.get(key)
    if (entry === undefined) {
      entry = { meter, customer_id, bucket, acc: new RollupAccumulator() }
      this.#entries.set(key, entry)
    }
    return entry
  }
}

/**
 * Deltas in a pending row's form, as they come (repeats of one (meter, customer, bucket) are
 * folded by the merge): an append records its deltas this way, without folding them first. JSON
 * keeps every string as it was, lone surrogates and NUL included.
 *
 * @example
 * new DeltaFold().addEncoded(encodeDeltas(deltas)).deltas() // the deltas, folded
 */
export function encodeDeltas(deltas: readonly RollupDelta[]): string {
  const meters = new Positions()
  const customers = new Positions()
  const c: Required<Columns> = {
    meters: meters.list,
    customers: customers.list,
    meter: [],
    customer: [],
    bucket: [],
    count: [],
    sum: [],
    min: [],
    max: [],
    latest: [],
    values: [],
  }
  for (const delta of deltas) {
    c.meter.push(meters.of(delta.meter))
    c.customer.push(customers.of(delta.customer_id))
    c.bucket.push(delta.bucket)
    c.count.push(delta.count)
    c.sum.push(delta.sum)
    c.min.push(delta.min)
    c.max.push(delta.max)
    c.latest.push(
      delta.latest === null ? null : [delta.latest.timestamp, delta.latest.key, delta.latest.value],
    )
    c.values.push(delta.values)
  }
  const out: Columns = c
  for (const field of ['sum', 'min', 'max', 'latest', 'values'] as const)
    if (c[field].every((value) => value === null)) delete out[field]
  return JSON.stringify(out)
}

// Strings listed once each, in first-seen order, with their positions.
class Positions {
  readonly list: string[] = []
  readonly #at = new Map<string, number>()

  of(value: string): number {
    let at = this.#at.get(value)
    if (at === undefined) {
      at = this.list.length
      this.list.push(value)
      this.#at.set(value, at)
    }
    return at
  }
}
