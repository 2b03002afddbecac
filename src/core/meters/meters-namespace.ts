import type { BillingContext } from '../context.js'
import { createMeter, getMeter } from './meters-service.js'
import type { Meter, MeterInput } from './types.js'
import { getUsage, type Usage, type UsageQuery } from './usage.js'
import {
  getTopCustomers,
  getUsageSeries,
  type UsageSeries,
  type UsageSeriesInput,
  type UsageTop,
  type UsageTopInput,
} from './usage-series.js'

/** `billing.meters`: what usage is counted, and how. */
export interface MetersApi {
  /** Defines a meter; events already stored count toward it. A code already taken → `ConflictError`. */
  create(input: MeterInput): Promise<Meter>
  /** A meter by code, or `NotFoundError`. */
  get(code: string): Promise<Meter>
  /** Every meter. */
  list(): Promise<Meter[]>
}

/**
 * The `meters` namespace of a billing instance on `ctx`.
 *
 * @example
 * const meters = metersNamespace(ctx)
 * await meters.create({ code: 'api_calls', event_name: 'api_call', aggregation: 'count' })
 */
export function metersNamespace(ctx: BillingContext): MetersApi {
  return {
    create: (input) => createMeter(ctx, input),
    get: (code) => getMeter(ctx, code),
    list: () => ctx.storage.meters.list(),
  }
}

/** `billing.usage`: metered quantities over any window. */
export interface UsageApi {
  /** A customer's usage of a meter over `[from, to)`, exact. */
  get(query: UsageQuery): Promise<Usage>
  /** A meter's usage by hour, for one customer or all customers summed. */
  series(input: UsageSeriesInput): Promise<UsageSeries>
  /** The customers with the most usage of a `count` or `sum` meter. */
  top(input: UsageTopInput): Promise<UsageTop>
}

/**
 * The `usage` namespace of a billing instance on `ctx`.
 *
 * @example
 * const usage = usageNamespace(ctx)
 * await usage.get({ customer_id: 'cus_1', meter: 'api_calls', from: '2026-01-01', to: '2026-02-01' })
 */
export function usageNamespace(ctx: BillingContext): UsageApi {
  return {
    get: (query) => getUsage(ctx, query),
    series: (input) => getUsageSeries(ctx, input),
    top: (input) => getTopCustomers(ctx, input),
  }
}
