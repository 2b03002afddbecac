import { hash } from 'node:crypto'
import { ErrorCode } from '../errors.js'
import { isSafeText, TEXT_RULE } from '../text.js'
import { parseTime, timeProblem } from '../time/time-input.js'
import { EVENT_LIMITS as L } from './limits.js'
import { numericInRange } from './numeric-rule.js'
import type { EventError, PreparedEvent, PropertyValue } from './types.js'

/** The outcome of validating one event. */
export type EventValidation =
  | { ok: true; event: PreparedEvent }
  | { ok: false; error: EventError; idempotency_key: string | null }

const FIELDS = new Set([
  'event_name',
  'customer_id',
  'idempotency_key',
  'timestamp',
  'properties',
  'reservation_id',
])
const EVENT_NAME = /^[A-Za-z0-9_.:-]+$/
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

const fail = (code: string, message: string, path: string, key: unknown): EventValidation => ({
  ok: false,
  error: { code, message, path },
  idempotency_key: typeof key === 'string' ? key : null,
})

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function idField(value: unknown, field: string, code: string, key: unknown): EventValidation | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > L.maxIdLength) {
    return fail(code, `${field} must be a string of 1 to ${L.maxIdLength} characters`, field, key)
  }
  if (!isSafeText(value)) return fail(ErrorCode.INVALID_STRING, `${field} ${TEXT_RULE}`, field, key)
  return null
}

// A property's path in an error, built only when there is one.
const propertyPath = (prop: string): string => `properties.${prop}`

function propertyValue(value: unknown, prop: string, key: unknown): EventValidation | null {
  if (typeof value === 'string') {
    if (!isSafeText(value)) {
      const path = propertyPath(prop)
      return fail(ErrorCode.INVALID_STRING, `${path} ${TEXT_RULE}`, path, key)
    }
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) return badValue(propertyPath(prop), key)
  } else if (value !== null && typeof value !== 'boolean') return badValue(propertyPath(prop), key)
  if (numericInRange(value)) return null
  const path = propertyPath(prop)
  return fail(
    ErrorCode.VALUE_OUT_OF_RANGE,
    `${path} is a number beyond ${L.maxIntegerDigits} integer or ${L.maxFractionDigits} fractional digits`,
    path,
    key,
  )
}

// Property names in the order `sort()` gives (UTF-16 code units), sorted only when they are not
// already: clients usually send them sorted, and sorting allocates even then.
function sortedNames(names: string[]): string[] {
  for (let i = 1; i < names.length; i++) if (names[i - 1]! > names[i]!) return names.sort()
  return names
}

function tooLarge(key: unknown): EventValidation {
  return fail(
    ErrorCode.PROPERTIES_TOO_LARGE,
    `properties exceed ${L.maxPropertiesBytes} bytes as JSON`,
    'properties',
    key,
  )
}

function badValue(path: string, key: unknown): EventValidation {
  return fail(
    ErrorCode.INVALID_PROPERTY_VALUE,
    'property values must be strings, finite numbers, booleans or null (no nesting)',
    path,
    key,
  )
}

/**
 * Validates and normalizes one event: the hot path of ingestion, so it is written by hand rather
 * than with zod. `now` is the injected clock's time. The payload hash covers what the caller sent
 * (a timestamp only if the caller gave one), so a retry of an event without a timestamp is still a
 * duplicate. A given timestamp is hashed as its epoch millisecond, not as written: a retry that
 * spells the same millisecond differently (`…30.1234567Z`, `…30.123+00:00`, a `Date`) is a duplicate.
 *
 * @example
 * prepareEvent({ event_name: 'api_call', customer_id: 'cus_1', idempotency_key: 'req_1' }, Date.now())
 * // { ok: true, event: { ..., timestamp: <now>, properties: {}, payload_hash: '…' } }
 */
export function prepareEvent(input: unknown, now: number): EventValidation {
  if (!isPlainObject(input)) return fail(ErrorCode.INVALID_EVENT, 'an event must be an object', '', null)
  // Each field is read exactly once: a getter that answers differently on every read must not get
  // one value past validation and another into the store.
  const key = input.idempotency_key
  for (const field of Object.keys(input)) {
    if (!FIELDS.has(field))
      return fail(ErrorCode.UNKNOWN_FIELD, `unknown field ${JSON.stringify(field)}`, field, key)
  }
  const customer = input.customer_id
  const name = input.event_name
  const time = input.timestamp
  const rawProps = input.properties
  const reservation = input.reservation_id
  const bad =
    idField(key, 'idempotency_key', ErrorCode.INVALID_IDEMPOTENCY_KEY, key) ??
    idField(customer, 'customer_id', ErrorCode.INVALID_CUSTOMER_ID, key) ??
    (reservation === undefined ? null : idField(reservation, 'reservation_id', ErrorCode.INVALID_EVENT, key))
  if (bad) return bad
  if (
    typeof name !== 'string' ||
    name.length === 0 ||
    name.length > L.maxEventNameLength ||
    !EVENT_NAME.test(name)
  ) {
    return fail(
      ErrorCode.INVALID_EVENT_NAME,
      `event_name must be 1 to ${L.maxEventNameLength} characters of A-Z a-z 0-9 _ . : -`,
      'event_name',
      key,
    )
  }

  let timestamp = now
  if (time !== undefined) {
    const parsed = parseTime(time)
    if (parsed === undefined) {
      return fail(
        ErrorCode.INVALID_TIMESTAMP,
        `timestamp must be a Date, an ISO-8601 string with a zone, or integer epoch milliseconds${timeProblem(time)}`,
        'timestamp',
        key,
      )
    }
    if (parsed > now + L.maxFutureMs) {
      return fail(
        ErrorCode.TIMESTAMP_IN_FUTURE,
        'timestamp is more than 5 minutes in the future',
        'timestamp',
        key,
      )
    }
    if (parsed < L.minTimestamp) {
      return fail(ErrorCode.TIMESTAMP_TOO_OLD, 'timestamp is before 2000-01-01', 'timestamp', key)
    }
    timestamp = parsed
  }

  const props = rawProps === undefined ? {} : rawProps
  if (!isPlainObject(props)) {
    return fail(ErrorCode.INVALID_PROPERTIES, 'properties must be a plain object', 'properties', key)
  }
  if (Object.getOwnPropertySymbols(props).length > 0) {
    return fail(ErrorCode.INVALID_PROPERTY_KEY, 'property names must be strings', 'properties', key)
  }
  const names = Object.keys(props)
  // Each property takes at least 6 bytes of JSON: more names than this cannot fit the size limit.
  if (names.length > L.maxPropertiesBytes / 6) return tooLarge(key)
  const properties: Record<string, PropertyValue> = {}
  for (const prop of sortedNames(names)) {
    if (prop.length === 0 || prop.length > L.maxPropertyKeyLength || FORBIDDEN_KEYS.has(prop)) {
      return fail(
        ErrorCode.INVALID_PROPERTY_KEY,
        `property names must be 1 to ${L.maxPropertyKeyLength} characters and not __proto__, constructor or prototype`,
        propertyPath(prop),
        key,
      )
    }
    if (!isSafeText(prop)) {
      return fail(ErrorCode.INVALID_STRING, `property names ${TEXT_RULE}`, propertyPath(prop), key)
    }
    const value = props[prop]
    const problem = propertyValue(value, prop, key)
    if (problem) return problem
    properties[prop] = value as PropertyValue
  }
  const properties_json = JSON.stringify(properties)
  if (
    properties_json.length > L.maxPropertiesBytes / 4 &&
    Buffer.byteLength(properties_json) > L.maxPropertiesBytes
  ) {
    return tooLarge(key)
  }

  const clientTime = time === undefined ? '' : String(timestamp)
  // One-shot hash: several times cheaper than createHash() for inputs this small.
  // A reservation id joins the hashed payload only when present: hashes stored before it existed hold.
  const settles = reservation === undefined ? '' : `\n${reservation as string}`
  const payload_hash = hash(
    'sha256',
    `${name}\n${customer as string}\n${clientTime}\n${properties_json}${settles}`,
    'base64url',
  )
  const event: PreparedEvent = {
    idempotency_key: key as string,
    customer_id: customer as string,
    event_name: name,
    timestamp,
    properties,
    properties_json,
    payload_hash,
    received_at: now,
  }
  if (reservation !== undefined) event.reservation_id = reservation as string
  return { ok: true, event }
}
