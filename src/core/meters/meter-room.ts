import type { BillingContext } from '../context.js'
import { ErrorCode, ValidationError } from '../errors.js'
import type { Meter } from './types.js'

/**
 * Meters (including the derived meters of filtered plan charges) that may read one event name:
 * every event is matched against each of them inside the append transaction, so their number bounds
 * ingest cost. More → `TOO_MANY_METERS`.
 */
export const MAX_METERS_PER_EVENT_NAME = 50

/**
 * Refuses new meters that would take an event name past {@link MAX_METERS_PER_EVENT_NAME}. Meters
 * that already exist (same code) are not new.
 *
 * @example
 * await assertMeterRoom(ctx, [{ code: 'tokens', event_name: 'api_call' }])
 */
export async function assertMeterRoom(
  ctx: BillingContext,
  adding: ReadonlyArray<Pick<Meter, 'code' | 'event_name'>>,
): Promise<void> {
  if (adding.length === 0) return
  const existing = await ctx.storage.meters.list()
  const codes = new Set(existing.map((m) => m.code))
  const perEvent = new Map<string, number>()
  for (const m of existing) perEvent.set(m.event_name, (perEvent.get(m.event_name) ?? 0) + 1)
  for (const m of adding) {
    if (codes.has(m.code)) continue
    codes.add(m.code)
    const count = (perEvent.get(m.event_name) ?? 0) + 1
    perEvent.set(m.event_name, count)
    if (count > MAX_METERS_PER_EVENT_NAME) {
      throw new ValidationError(
        ErrorCode.TOO_MANY_METERS,
        `event ${m.event_name} would be read by more than ${MAX_METERS_PER_EVENT_NAME} meters (filtered plan charges count as meters)`,
        { path: 'event_name', event_name: m.event_name, limit: MAX_METERS_PER_EVENT_NAME },
      )
    }
  }
}
