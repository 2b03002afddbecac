import { z } from 'zod'
import type { BillingContext } from '../context.js'
import { ErrorCode, ValidationError, validationErrorFromZod } from '../errors.js'
import { type Page, pageOf, parsePageQuery } from '../paging.js'
import type { AllowanceRecord, NearLimitCursor } from '../ports/index.js'
import { isoTime } from '../time/iso-time.js'
import { allowanceFill } from './allowance-fill.js'

/** What `billing.entitlements.nearLimit` takes. */
export interface NearLimitInput {
  /** How full, from 0 exclusive: `(used + reserved) / (limit + granted)`. Default 0.8. */
  ratio?: number
  /** Page size, 1 to 1,000; default 100. */
  limit?: number
  /** `next_cursor` of the previous page. */
  cursor?: string
}

/** An allowance of the current period and how full it is. Quantities are exact decimal strings. */
export interface NearLimitAllowance {
  customer_id: string
  meter: string
  period_start: string
  period_end: string
  limit: string
  granted: string
  used: string
  reserved: string
  /** `(used + reserved) / (limit + granted)`; 1 for an unused allowance of zero. */
  fill: number
}

const nearLimitSchema = z
  .object({
    ratio: z.number().gt(0).max(1e6).optional(),
    limit: z.unknown().optional(),
    cursor: z.unknown().optional(),
  })
  .strict()

const cursorSchema = z.tuple([z.number(), z.string(), z.string()])

function readCursor(after: string | undefined): NearLimitCursor | undefined {
  if (after === undefined) return undefined
  let value: unknown
  try {
    value = JSON.parse(after)
  } catch {
    value = null
  }
  const parsed = cursorSchema.safeParse(value)
  if (!parsed.success)
    throw new ValidationError(ErrorCode.INVALID_CURSOR, 'cursor is not one this API returned', {
      path: 'cursor',
    })
  const [fill, customer_id, meter] = parsed.data
  return { fill, customer_id, meter }
}

const view = (a: AllowanceRecord): NearLimitAllowance => ({
  customer_id: a.customer_id,
  meter: a.meter,
  period_start: isoTime(a.period_start),
  period_end: isoTime(a.period_end),
  limit: a.limit ?? '0',
  granted: a.granted,
  used: a.used,
  reserved: a.reserved,
  fill: allowanceFill(a) ?? 0,
})

/**
 * `billing.entitlements.nearLimit`: the allowances of the current periods (with a limit) at least
 * `ratio` full, fullest first, a page at a time. The storage filters and orders by the fill it
 * keeps with each allowance, through an index on the periods not yet over.
 *
 * @example
 * const { data } = await nearLimit(ctx, { ratio: 0.8 })
 * data[0] // { customer_id: 'cus_1', meter: 'api_calls', used: '9500', limit: '10000', fill: 0.95, … }
 */
export async function nearLimit(
  ctx: BillingContext,
  input: NearLimitInput = {},
): Promise<Page<NearLimitAllowance>> {
  const parsed = nearLimitSchema.safeParse(input)
  if (!parsed.success) throw validationErrorFromZod(parsed.error)
  const { limit, after } = parsePageQuery(input)
  const cursor = readCursor(after)
  const rows = await ctx.storage.entitlements.nearLimit({
    at: ctx.now(),
    ratio: parsed.data.ratio ?? 0.8,
    limit: limit + 1,
    ...(cursor === undefined ? {} : { after: cursor }),
  })
  return pageOf(rows.map(view), limit, (a) => JSON.stringify([a.fill, a.customer_id, a.meter]))
}
