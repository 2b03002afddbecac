import { DECIMAL_STRING, numericInRange } from '../events/numeric-rule.js'
import type { PreparedEvent, PropertyValue, StoredEvent } from '../events/types.js'
import { Decimal } from '../money/decimal.js'
import { bucketOf } from './buckets.js'
import type { Meter, RollupDelta } from './types.js'
import { uniqueValueKey } from './unique-value.js'

/** A note that an accepted event could not count toward a meter. */
export interface MeterWarning {
  code: 'PROPERTY_MISSING' | 'PROPERTY_NOT_NUMERIC' | 'VALUE_OUT_OF_RANGE' | 'NO_METER_MATCHED'
  message: string
}

/** What one event does to the rollups: a delta per meter it counts toward, and warnings. */
export interface EventEffects {
  deltas: RollupDelta[]
  warnings: MeterWarning[]
}

/** The effects of one event under a fixed set of meters. */
export type EffectsFn = (
  event: Pick<
    PreparedEvent | StoredEvent,
    'idempotency_key' | 'customer_id' | 'event_name' | 'timestamp' | 'properties'
  >,
) => EventEffects

// An event name no meter reads is most often a typo: the event is stored but bills nothing. One
// shared, frozen answer keeps such events as cheap as before.
const NO_METER: EventEffects = Object.freeze({
  deltas: Object.freeze([]),
  warnings: Object.freeze([
    Object.freeze({
      code: 'NO_METER_MATCHED',
      message:
        'no meter reads this event_name: the event is stored but counts toward nothing until a meter for it is created',
    }),
  ]),
}) as unknown as EventEffects

/**
 * The exact decimal form of a numeric property: a finite number (through its shortest decimal
 * string) or a decimal string. Anything else is not numeric.
 *
 * @example
 * numericValue(1200) // '1200'
 * numericValue('12.50') // '12.5'
 * numericValue('12 tokens') // undefined
 */
export function numericValue(value: PropertyValue | undefined): string | undefined {
  if (typeof value === 'number')
    return Number.isSafeInteger(value) ? String(value) : new Decimal(value).toFixed()
  if (typeof value === 'string' && DECIMAL_STRING.test(value)) return new Decimal(value).toFixed()
  return undefined
}

/** A meter with its filters as sets: matching costs one lookup per filtered property. */
interface CompiledMeter {
  meter: Meter
  filters: ReadonlyArray<readonly [property: string, allowed: ReadonlySet<string>]>
}

function compileMeter(meter: Meter): CompiledMeter {
  const filters = Object.entries(meter.filters ?? {}).map(
    ([property, allowed]) => [property, new Set(allowed)] as const,
  )
  return { meter, filters }
}

function matchesFilters(compiled: CompiledMeter, properties: Record<string, PropertyValue>): boolean {
  for (const [property, allowed] of compiled.filters) {
    const value = Object.hasOwn(properties, property) ? properties[property] : undefined
    if (value === undefined || value === null || !allowed.has(String(value))) return false
  }
  return true
}

const cache = new WeakMap<readonly Meter[], EffectsFn>()

/**
 * Compiles a set of meters into the function that gives each event's rollup deltas. Ingestion,
 * meter backfill and exact window edges all use it, so they can never disagree. Compiled once per
 * meters array.
 *
 * @example
 * const effects = compileMeterEffects(meters)
 * effects(event).deltas // one delta per meter the event counts toward
 */
export function compileMeterEffects(meters: readonly Meter[]): EffectsFn {
  const cached = cache.get(meters)
  if (cached) return cached
  const byEvent = new Map<string, CompiledMeter[]>()
  for (const meter of meters) {
    const list = byEvent.get(meter.event_name) ?? []
    list.push(compileMeter(meter))
    byEvent.set(meter.event_name, list)
  }
  const fn: EffectsFn = (event) => {
    const candidates = byEvent.get(event.event_name)
    if (candidates === undefined) return NO_METER
    const effects: EventEffects = { deltas: [], warnings: [] }
    for (const compiled of candidates) {
      if (!matchesFilters(compiled, event.properties)) continue
      const delta = meterDelta(compiled.meter, event, effects.warnings)
      if (delta !== undefined) effects.deltas.push(delta)
    }
    return effects
  }
  cache.set(meters, fn)
  return fn
}

function meterDelta(
  meter: Meter,
  event: Parameters<EffectsFn>[0],
  warnings: MeterWarning[],
): RollupDelta | undefined {
  const base: RollupDelta = {
    meter: meter.code,
    customer_id: event.customer_id,
    bucket: bucketOf(event.timestamp),
    count: 1,
    sum: null,
    min: null,
    max: null,
    latest: null,
    values: null,
  }
  if (meter.aggregation === 'count' || meter.property === null) return base
  const raw = Object.hasOwn(event.properties, meter.property) ? event.properties[meter.property] : undefined
  if (raw === undefined || raw === null) {
    warnings.push({
      code: 'PROPERTY_MISSING',
      message: `meter ${meter.code} needs property ${meter.property}; the event does not count toward it`,
    })
    return undefined
  }
  if (meter.aggregation === 'unique_count') return { ...base, values: [uniqueValueKey(String(raw))] }
  if (!numericInRange(raw)) {
    warnings.push({
      code: 'VALUE_OUT_OF_RANGE',
      message: `meter ${meter.code} reads ${meter.property} beyond 20 integer or 30 fractional digits; the event does not count toward it`,
    })
    return undefined
  }
  const value = numericValue(raw)
  if (value === undefined) {
    warnings.push({
      code: 'PROPERTY_NOT_NUMERIC',
      message: `meter ${meter.code} needs a numeric ${meter.property}, got ${JSON.stringify(raw)}; the event does not count toward it`,
    })
    return undefined
  }
  switch (meter.aggregation) {
    case 'sum':
      return { ...base, sum: value }
    case 'min':
      return { ...base, min: value }
    case 'max':
      return { ...base, max: value }
    case 'latest':
      return { ...base, latest: { timestamp: event.timestamp, key: event.idempotency_key, value } }
  }
}
