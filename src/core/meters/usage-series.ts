import { z } from 'zod'
import type { BillingContext } from '../context.js'
import { ErrorCode, ValidationError, validationErrorFromZod } from '../errors.js'
import { assertCustomerId, safeText } from '../text.js'
import { isoTime } from '../time/iso-time.js'
import type { TimeInput } from '../time/time-input.js'
import { hourWindow } from './hour-window.js'
import { getMeter } from './meters-service.js'

const timeInput = z.union([z.string(), z.number(), z.date()])
const seriesSchema = z
  .object({ meter: safeText(1, 100), customer_id: z.unknown().optional(), from: timeInput, to: timeInput })
  .strict()
const topSchema = z
  .object({
    meter: safeText(1, 100),
    from: timeInput,
    to: timeInput,
    limit: z.number().int().min(1).max(100).optional(),
  })
  .strict()

/** What `billing.usage.series` takes: a meter, one customer or all, and a window of whole hours. */
export interface UsageSeriesInput {
  meter: string
  /** One customer; omitted: every customer's usage, summed per hour. */
  customer_id?: string
  /** Rounded down to its hour. */
  from: TimeInput
  /** Rounded up to the next hour. At most 366 days after `from`. */
  to: TimeInput
}

/** One hour of a series: its start and the exact quantity (a number too, for charts). */
export interface UsageSeriesPoint {
  hour: string
  quantity: number
  precise_quantity: string
}

/** A meter's usage by hour. Hours without usage are left out. */
export interface UsageSeries {
  meter: string
  customer_id: string | null
  from: string
  to: string
  points: UsageSeriesPoint[]
}

/**
 * `billing.usage.series`: a meter's usage by hour over the hours overlapping `[from, to)`, for one
 * customer or summed over all of them (for `min`/`max` meters the least/greatest over customers).
 * One customer's month is at most 744 rollup rows read. All customers of a `count`, `sum`, `min` or
 * `max` meter: read from hourly totals kept at ingest, a few rows per hour whatever the number of
 * customers. `latest` and `unique_count` meters keep no such totals (they do not add up across
 * customers): their all-customer series reads the window's rollups (`latest`) or every recorded
 * value of the meter (`unique_count`).
 *
 * @example
 * const { points } = await getUsageSeries(ctx, { meter: 'tokens', customer_id: 'cus_1', from: '2026-01-01', to: '2026-01-02' })
 * // [{ hour: '2026-01-01T00:00:00.000Z', quantity: 1200, precise_quantity: '1200' }, …]
 */
export async function getUsageSeries(ctx: BillingContext, input: UsageSeriesInput): Promise<UsageSeries> {
  const parsed = seriesSchema.safeParse(input)
  if (!parsed.success) throw validationErrorFromZod(parsed.error)
  if (input.customer_id !== undefined) assertCustomerId(input.customer_id)
  const { from, to } = hourWindow(input.from, input.to)
  const meter = await getMeter(ctx, input.meter)
  const points = await ctx.storage.meters.usageSeries({
    meter: meter.code,
    aggregation: meter.aggregation,
    ...(input.customer_id === undefined ? {} : { customer_id: input.customer_id }),
    from,
    to,
  })
  return {
    meter: meter.code,
    customer_id: input.customer_id ?? null,
    from: isoTime(from),
    to: isoTime(to),
    points: points.map((p) => ({
      hour: isoTime(p.hour),
      quantity: Number(p.quantity),
      precise_quantity: p.quantity,
    })),
  }
}

/** What `billing.usage.top` takes: an additive meter, a window of whole hours and how many. */
export interface UsageTopInput {
  meter: string
  from: TimeInput
  to: TimeInput
  /** 1 to 100; default 10. */
  limit?: number
}

/** The customers with the most usage, greatest first (ties by customer id). */
export interface UsageTop {
  meter: string
  from: string
  to: string
  data: Array<{ customer_id: string; quantity: number; precise_quantity: string }>
}

/**
 * `billing.usage.top`: the customers with the most usage of a `count` or `sum` meter over the
 * hours overlapping `[from, to)`. Reads every rollup row of the window (each customer with usage,
 * each hour), found by meter and hour, not the meter's whole history: keep the window short on
 * stores with many customers.
 *
 * @example
 * const { data } = await getTopCustomers(ctx, { meter: 'api_calls', from: '2026-01-01', to: '2026-02-01', limit: 5 })
 * // [{ customer_id: 'cus_9', quantity: 120000, precise_quantity: '120000' }, …]
 */
export async function getTopCustomers(ctx: BillingContext, input: UsageTopInput): Promise<UsageTop> {
  const parsed = topSchema.safeParse(input)
  if (!parsed.success) throw validationErrorFromZod(parsed.error)
  const limit = parsed.data.limit ?? 10
  const { from, to } = hourWindow(input.from, input.to)
  const meter = await getMeter(ctx, input.meter)
  if (meter.aggregation !== 'count' && meter.aggregation !== 'sum')
    throw new ValidationError(
      ErrorCode.INVALID_METER,
      `usage.top ranks count and sum meters; ${meter.code} is ${meter.aggregation}`,
      { path: 'meter' },
    )
  const rows = await ctx.storage.meters.topCustomers({
    meter: meter.code,
    aggregation: meter.aggregation,
    from,
    to,
    limit,
  })
  return {
    meter: meter.code,
    from: isoTime(from),
    to: isoTime(to),
    data: rows.map((r) => ({
      customer_id: r.customer_id,
      quantity: Number(r.quantity),
      precise_quantity: r.quantity,
    })),
  }
}
