import type { BillingContext } from '../context.js'
import { ErrorCode, ValidationError } from '../errors.js'
import type { StoredEvent } from '../events/types.js'
import type { EdgeQuery, RollupQuery } from '../ports/index.js'
import { assertCustomerId } from '../text.js'
import { isoTime } from '../time/iso-time.js'
import { requireTime, type TimeInput } from '../time/time-input.js'
import { MINUTE_MS, planWindow } from './buckets.js'
import { compileMeterEffects } from './meter-effects.js'
import { getMeter } from './meters-service.js'
import { quantityOf, RollupAccumulator } from './rollup.js'
import type { Meter, RollupState } from './types.js'

/** What `billing.usage.get` takes: one customer, one meter, a half-open window `[from, to)`. */
export interface UsageQuery {
  customer_id: string
  meter: string
  from: TimeInput
  to: TimeInput
}

/** One customer's usage of one meter over `[from, to)`. */
export interface Usage {
  customer_id: string
  meter: string
  from: string
  to: string
  /** The quantity as a JS number (exact for counts; a decimal sum may round at the 16th digit). */
  quantity: number
  /** The exact quantity as a decimal string: what pricing uses. */
  precise_quantity: string
}

/**
 * `billing.usage.get`: exact for every aggregation over any window with millisecond boundaries.
 * Whole hours come from rollups; the partial hours at the edges are computed from that customer's
 * events with the same function ingestion uses. Costs O(rollup rows + edge events), never O(all
 * events).
 *
 * @example
 * await getUsage(ctx, { customer_id: 'cus_1', meter: 'tokens', from: '2026-01-01', to: '2026-02-01' })
 * // { customer_id: 'cus_1', meter: 'tokens', from: '2026-01-01T00:00:00.000Z', ..., quantity: 1234567, precise_quantity: '1234567' }
 */
export async function getUsage(ctx: BillingContext, query: UsageQuery): Promise<Usage> {
  assertCustomerId(query?.customer_id)
  const from = requireTime(query.from, 'from')
  const to = requireTime(query.to, 'to')
  if (to < from)
    throw new ValidationError(ErrorCode.INVALID_WINDOW, 'to must not be before from', { path: 'to' })
  const meter = await getMeter(ctx, query.meter)
  const state = await readWindow(ctx, meter, query.customer_id, from, to)
  const precise = quantityOf(meter.aggregation, state)
  return {
    customer_id: query.customer_id,
    meter: meter.code,
    from: isoTime(from),
    to: isoTime(to),
    quantity: Number(precise),
    precise_quantity: precise,
  }
}

/**
 * The merged rollup state of one meter and customer over `[from, to)`: whole hours from rollups,
 * the partial hours at the edges from that customer's events, with the function ingestion uses.
 * `readEdges` lets several meters of one event name share the edge reads; `readRollups` lets a
 * caller answer whole buckets it read ahead (an invoice run reads a page's at once).
 *
 * @example
 * const state = await readWindow(ctx, meter, 'cus_1', from, to)
 * quantityOf(meter.aggregation, state) // '1234567'
 */
export async function readWindow(
  ctx: BillingContext,
  meter: Meter,
  customer_id: string,
  from: number,
  to: number,
  readEdges: (query: EdgeQuery) => Promise<StoredEvent[]> = (query) => ctx.storage.events.readEdges(query),
  readRollups: (query: RollupQuery) => Promise<RollupState> = (query) =>
    ctx.storage.meters.readRollups(query),
): Promise<RollupState> {
  const plan = planWindow(from, to)
  const acc = new RollupAccumulator()
  const reads: Array<Promise<void>> = []
  if (plan.buckets) {
    const { fromBucket, toBucket } = plan.buckets
    reads.push(
      readRollups({
        meter: meter.code,
        customer_id,
        fromBucket,
        toBucket,
        aggregation: meter.aggregation,
      }).then((state) => void acc.add(state)),
    )
  }
  // Where minute rollups are kept, a partial hour's whole minutes come from them too: only the
  // partial minutes at its ends are read from events. Unique counts keep no minute rollups.
  const minutes = ctx.storage.capabilities.minuteRollups === true && meter.aggregation !== 'unique_count'
  const edges: Array<{ from: number; to: number }> = []
  for (const edge of plan.edges) {
    const within = minutes ? planWindow(edge.from, edge.to, MINUTE_MS) : { buckets: null, edges: [edge] }
    if (within.buckets !== null) {
      const { fromBucket, toBucket } = within.buckets
      const query = { meter: meter.code, customer_id, fromBucket, toBucket, grain: 'minute' as const }
      reads.push(
        readRollups({ ...query, aggregation: meter.aggregation }).then((state) => void acc.add(state)),
      )
    }
    for (const part of within.edges) edges.push(part)
  }
  if (edges.length > 0) {
    const effects = compileMeterEffects([meter])
    for (const edge of edges) {
      reads.push(
        readEdges({ customer_id, event_name: meter.event_name, ...edge }).then((events) => {
          for (const event of events) for (const delta of effects(event).deltas) acc.add(delta)
        }),
      )
    }
  }
  await Promise.all(reads)
  return acc.result()
}
