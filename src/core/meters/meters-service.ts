import type { BillingContext } from '../context.js'
import { ConflictError, ErrorCode, NotFoundError, validationErrorFromZod } from '../errors.js'
import { isLookupKey } from '../text.js'
import { isoTime } from '../time/iso-time.js'
import { compileMeterEffects } from './meter-effects.js'
import { assertMeterRoom } from './meter-room.js'
import { meterInputSchema } from './meter-schema.js'
import type { Meter, MeterInput } from './types.js'

/**
 * `billing.meters.create`: defines a meter. Events already stored count toward it (backfill).
 * A code already taken → `ConflictError`.
 *
 * @example
 * await createMeter(ctx, { code: 'tokens', event_name: 'api_call', aggregation: 'sum', property: 'tokens' })
 */
export async function createMeter(ctx: BillingContext, input: MeterInput): Promise<Meter> {
  const meter = parseMeter(input, isoTime(ctx.now()))
  await assertMeterRoom(ctx, [meter])
  if (!(await ctx.storage.meters.insert(meter, compileMeterEffects))) {
    throw new ConflictError(`meter ${meter.code} already exists`, { id: meter.code, resource: 'meter' })
  }
  return meter
}

/**
 * Validates a meter definition and gives the meter it defines, created at `createdAt`; a
 * `ValidationError` (`INVALID_METER`) otherwise.
 *
 * @example
 * const meter = parseMeter({ code: 'calls', event_name: 'api_call', aggregation: 'count' }, '2026-06-01T00:00:00.000Z')
 */
export function parseMeter(input: MeterInput, createdAt: string): Meter {
  const parsed = meterInputSchema.safeParse(input)
  if (!parsed.success) throw validationErrorFromZod(parsed.error, ErrorCode.INVALID_METER)
  const m = parsed.data
  return {
    code: m.code,
    name: m.name ?? null,
    event_name: m.event_name,
    aggregation: m.aggregation,
    property: m.property ?? null,
    filters: m.filters
      ? Object.fromEntries(Object.entries(m.filters).map(([k, values]) => [k, values.map(String)]))
      : null,
    created_at: createdAt,
  }
}

/**
 * `billing.meters.get`: a meter by code, or `NotFoundError`.
 *
 * @example
 * const meter = await getMeter(ctx, 'tokens')
 */
export async function getMeter(ctx: BillingContext, code: string): Promise<Meter> {
  const meter = isLookupKey(code) ? await ctx.storage.meters.get(code) : null
  if (meter === null) throw new NotFoundError(`meter ${code} does not exist`, { id: code, resource: 'meter' })
  return meter
}
