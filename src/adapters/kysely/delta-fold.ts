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
  const n = deltas.length
  const meters = new Positions()
  const customers = new Positions()
  const columns: Columns = {
    meters: meters.list,
    customers: customers.list,
    meter: new Array(n),
    customer: new Array(n),
    bucket: new Array(n),
    count: new Array(n),
  }
  for (let i = 0; i < n; i++) {
    const delta = deltas[i]!
    columns.meter[i] = meters.of(delta.meter)
    columns.customer[i] = customers.of(delta.customer_id)
    columns.bucket[i] = delta.bucket
    columns.count[i] = delta.count
  }
  // The optional columns in their stored order, each only when some delta has a value for it.
  if (deltas.some(hasSum)) columns.sum = deltas.map(sumOf)
  if (deltas.some(hasMin)) columns.min = deltas.map(minOf)
  if (deltas.some(hasMax)) columns.max = deltas.map(maxOf)
  if (deltas.some(hasLatest)) columns.latest = deltas.map(latestOf)
  if (deltas.some(hasValues)) columns.values = deltas.map(valuesOf)
  return JSON.stringify(columns)
}

const hasSum = (delta: RollupDelta): boolean => delta.sum !== null
const hasMin = (delta: RollupDelta): boolean => delta.min !== null
const hasMax = (delta: RollupDelta): boolean => delta.max !== null
const hasLatest = (delta: RollupDelta): boolean => delta.latest !== null
const hasValues = (delta: RollupDelta): boolean => delta.values !== null
const sumOf = (delta: RollupDelta): string | null => delta.sum
const minOf = (delta: RollupDelta): string | null => delta.min
const maxOf = (delta: RollupDelta): string | null => delta.max
const valuesOf = (delta: RollupDelta): string[] | null => delta.values
const latestOf = ({ latest }: RollupDelta): [number, string, string] | null =>
  latest === null ? null : [latest.timestamp, latest.key, latest.value]

// Strings listed once each, in first-seen order, with their positions. An append's deltas name a
// few meters and customers: those are found by scanning the list, a Map is built only past that.
class Positions {
  readonly list: string[] = []
  #at: Map<string, number> | null = null

  of(value: string): number {
    if (this.#at === null) {
      const found = this.list.indexOf(value)
      if (found !== -1) return found
      if (this.list.length < SCAN_LIMIT) return this.list.push(value) - 1
      this.#at = new Map(this.list.map((listed, at) => [listed, at]))
    }
    let at = this.#at.get(value)
    if (at === undefined) {
      at = this.list.push(value) - 1
      this.#at.set(value, at)
    }
    return at
  }
}

// Past this many distinct strings, positions are looked up in a Map rather than by scanning.
const SCAN_LIMIT = 8
