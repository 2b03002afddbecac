import type { PropertyValue, StoredEvent } from '../../core/events/types.js'
import type { Meter, RollupState } from '../../core/meters/types.js'
import { Decimal } from '../../core/money/decimal.js'
import type { Row } from './sql-script.js'

/** A BIGINT as a number: drivers hand them over as numbers or strings (pg). Epoch ms fit exactly. */
const int = (value: unknown): number => (typeof value === 'number' ? value : Number(value))

const decimalOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value as string | number)

/**
 * A stored event from its row.
 *
 * @example
 * toStoredEvent({ seq: '7', idempotency_key: 'k', customer_id: 'c', event_name: 'e', timestamp: '1', properties: '{}', received_at: 2 })
 */
export function toStoredEvent(row: Row): StoredEvent {
  return {
    idempotency_key: String(row.idempotency_key),
    customer_id: String(row.customer_id),
    event_name: String(row.event_name),
    timestamp: int(row.timestamp),
    properties: JSON.parse(String(row.properties)) as Record<string, PropertyValue>,
    received_at: int(row.received_at),
    seq: int(row.seq),
  }
}

/**
 * A meter from its stored JSON definition.
 *
 * @example
 * toMeter({ definition: '{"code":"calls",…}' }).code // 'calls'
 */
export function toMeter(row: Row): Meter {
  return JSON.parse(String(row.definition)) as Meter
}

/**
 * One rollup row as a rollup state. Decimals arrive as text; the latest value is normalized here
 * (PostgreSQL and MySQL pad with trailing zeros), the others by the accumulator that folds them.
 *
 * @example
 * toRollupState({ count: 2, sum: '0.30', min: null, max: null, latest_ts: null, latest_key: null, latest_value: null })
 */
export function toRollupState(row: Row): RollupState {
  const latestValue = decimalOrNull(row.latest_value)
  return {
    count: int(row.count),
    sum: decimalOrNull(row.sum),
    min: decimalOrNull(row.min),
    max: decimalOrNull(row.max),
    latest:
      latestValue === null || row.latest_ts === null || row.latest_ts === undefined
        ? null
        : {
            timestamp: int(row.latest_ts),
            key: String(row.latest_key),
            value: new Decimal(latestValue).toFixed(),
          },
    values: null,
  }
}

/**
 * A billing document (customer, plan, subscription, invoice) from its stored JSON `doc` column.
 *
 * @example
 * toDocument<Customer>({ doc: '{"id":"c_1",…}' }).id // 'c_1'
 */
export function toDocument<T>(row: Row): T {
  return JSON.parse(String(row.doc)) as T
}
