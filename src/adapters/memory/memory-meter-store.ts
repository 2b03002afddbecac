import { emptyRollup, RollupAccumulator } from '../../core/meters/rollup.js'
import type { Meter, RollupDelta, RollupState } from '../../core/meters/types.js'
import type {
  CustomersRollupQuery,
  CustomerUsage,
  EffectsOf,
  MeterStore,
  RollupQuery,
  TopCustomersQuery,
  UsagePoint,
  UsageSeriesQuery,
} from '../../core/ports/index.js'
import { memoryTopCustomers, memoryUsageSeries } from './memory-dashboard-queries.js'
import type { MemoryUsage } from './memory-usage.js'

/** The memory meters: inserting one backfills its rollups from the log without yielding. */
export class MemoryMeterStore implements MeterStore {
  readonly #usage: MemoryUsage

  constructor(usage: MemoryUsage) {
    this.#usage = usage
  }

  async insert(meter: Meter, effects: EffectsOf): Promise<boolean> {
    const usage = this.#usage
    if (usage.meters.some((m) => m.code === meter.code)) return false
    usage.meters = [...usage.meters, meter]
    const effectsOf = effects([meter])
    const deltas: RollupDelta[] = []
    for (const { event } of usage.events.values()) {
      if (event.event_name === meter.event_name) deltas.push(...effectsOf(event).deltas)
    }
    usage.apply(deltas)
    return true
  }

  async get(code: string): Promise<Meter | null> {
    return this.#usage.meters.find((m) => m.code === code) ?? null
  }

  async list(): Promise<Meter[]> {
    return [...this.#usage.meters]
  }

  async readRollups(query: RollupQuery): Promise<RollupState> {
    const buckets = this.#usage.buckets(query.meter, query.customer_id)
    if (buckets === undefined) return emptyRollup()
    const acc = new RollupAccumulator()
    for (const [bucket, state] of buckets) {
      if (bucket >= query.fromBucket && bucket < query.toBucket) acc.add(state)
    }
    return acc.result()
  }

  async readRollupsOfCustomers(query: CustomersRollupQuery): Promise<RollupState[]> {
    const { customer_ids, ...window } = query
    return Promise.all(customer_ids.map((customer_id) => this.readRollups({ ...window, customer_id })))
  }

  async usageSeries(query: UsageSeriesQuery): Promise<UsagePoint[]> {
    return memoryUsageSeries(this.#usage, query)
  }

  async topCustomers(query: TopCustomersQuery): Promise<CustomerUsage[]> {
    return memoryTopCustomers(this.#usage, query)
  }
}
