/** The limits `billing.events.ingest` enforces, each with its own error code. */
export const EVENT_LIMITS = Object.freeze({
  /** Events per `ingest` call; more → `BATCH_TOO_LARGE`. */
  maxBatch: 10_000,
  /** `idempotency_key` and `customer_id` length, in characters. */
  maxIdLength: 255,
  /** `event_name` length; characters are `[A-Za-z0-9_.:-]`. */
  maxEventNameLength: 100,
  /** A property name's length. */
  maxPropertyKeyLength: 100,
  /** `properties` as JSON, in UTF-8 bytes; more → `PROPERTIES_TOO_LARGE`. */
  maxPropertiesBytes: 8192,
  /** How far ahead of the clock a timestamp may be; more → `TIMESTAMP_IN_FUTURE`. */
  maxFutureMs: 5 * 60_000,
  /** Digits before the point of a numeric property value (|v| < 1e20); more → `VALUE_OUT_OF_RANGE`. */
  maxIntegerDigits: 20,
  /** Digits after the point of a numeric property value (trailing zeros aside); more → `VALUE_OUT_OF_RANGE`. */
  maxFractionDigits: 30,
  /** The earliest timestamp accepted; earlier → `TIMESTAMP_TOO_OLD`. */
  minTimestamp: Date.UTC(2000, 0, 1),
})
