import fc from 'fast-check'

/** A defect injected into an otherwise valid event, and the rejection it must produce. */
export interface Defect {
  apply(event: Record<string, unknown>, now: number): unknown
  code: string
  path?: string
  /** The event is left out of the array entirely: a hole in a sparse array. */
  hole?: true
}

const big = 'x'.repeat(8200)
const huge = 'c'.repeat(100_000)

/** An event whose `field` answers `first` on the first read and `then` on every later read. */
export function shifty(event: Record<string, unknown>, field: string, first: unknown, then: unknown) {
  const copy = { ...event }
  delete copy[field]
  let reads = 0
  return Object.defineProperty(copy, field, {
    enumerable: true,
    get: () => (reads++ === 0 ? first : then),
  })
}

/** A getter that throws, on one of the event's fields or on one of its properties. */
function throwing(event: Record<string, unknown>, inProperties: boolean) {
  const target: Record<string, unknown> = inProperties ? { ...(event.properties as object) } : { ...event }
  const field = inProperties ? 'tokens' : 'customer_id'
  delete target[field]
  Object.defineProperty(target, field, {
    enumerable: true,
    get: () => {
      throw new Error('getter exploded')
    },
  })
  return inProperties ? { ...event, properties: target } : target
}

const trap = () => {
  throw new Error('trap exploded')
}

/** Every kind of malformed event ingestion must reject, each with its code and path. */
export const defects: Defect[] = [
  { apply: ({ event_name: _, ...e }) => e, code: 'INVALID_EVENT_NAME', path: 'event_name' },
  { apply: (e) => ({ ...e, event_name: 42 }), code: 'INVALID_EVENT_NAME', path: 'event_name' },
  { apply: (e) => ({ ...e, event_name: 'api call' }), code: 'INVALID_EVENT_NAME', path: 'event_name' },
  { apply: (e) => ({ ...e, event_name: 'a'.repeat(101) }), code: 'INVALID_EVENT_NAME', path: 'event_name' },
  { apply: ({ customer_id: _, ...e }) => e, code: 'INVALID_CUSTOMER_ID', path: 'customer_id' },
  { apply: (e) => ({ ...e, customer_id: '' }), code: 'INVALID_CUSTOMER_ID', path: 'customer_id' },
  {
    apply: (e) => ({ ...e, customer_id: 'c'.repeat(256) }),
    code: 'INVALID_CUSTOMER_ID',
    path: 'customer_id',
  },
  { apply: (e) => ({ ...e, customer_id: 7 }), code: 'INVALID_CUSTOMER_ID', path: 'customer_id' },
  { apply: ({ idempotency_key: _, ...e }) => e, code: 'INVALID_IDEMPOTENCY_KEY', path: 'idempotency_key' },
  {
    apply: (e) => ({ ...e, idempotency_key: null }),
    code: 'INVALID_IDEMPOTENCY_KEY',
    path: 'idempotency_key',
  },
  {
    apply: (e, now) => ({ ...e, timestamp: now + 5 * 60_000 + 1 }),
    code: 'TIMESTAMP_IN_FUTURE',
    path: 'timestamp',
  },
  {
    apply: (e) => ({ ...e, timestamp: '1999-12-31T23:59:59Z' }),
    code: 'TIMESTAMP_TOO_OLD',
    path: 'timestamp',
  },
  { apply: (e) => ({ ...e, timestamp: 'yesterday' }), code: 'INVALID_TIMESTAMP', path: 'timestamp' },
  { apply: (e) => ({ ...e, timestamp: Number.NaN }), code: 'INVALID_TIMESTAMP', path: 'timestamp' },
  { apply: (e) => ({ ...e, timestamp: 1.5e12 + 0.5 }), code: 'INVALID_TIMESTAMP', path: 'timestamp' },
  {
    apply: (e) => ({ ...e, timestamp: '2026-01-01T10:00:00' }),
    code: 'INVALID_TIMESTAMP',
    path: 'timestamp',
  },
  { apply: (e) => ({ ...e, properties: [1, 2] }), code: 'INVALID_PROPERTIES', path: 'properties' },
  { apply: (e) => ({ ...e, properties: 'tokens=5' }), code: 'INVALID_PROPERTIES', path: 'properties' },
  { apply: (e) => ({ ...e, properties: new Map() }), code: 'INVALID_PROPERTIES', path: 'properties' },
  {
    apply: (e) => ({ ...e, properties: { deep: { x: 1 } } }),
    code: 'INVALID_PROPERTY_VALUE',
    path: 'properties.deep',
  },
  {
    apply: (e) => ({ ...e, properties: { list: [1] } }),
    code: 'INVALID_PROPERTY_VALUE',
    path: 'properties.list',
  },
  {
    apply: (e) => ({ ...e, properties: { n: Number.NaN } }),
    code: 'INVALID_PROPERTY_VALUE',
    path: 'properties.n',
  },
  {
    apply: (e) => ({ ...e, properties: { n: Number.POSITIVE_INFINITY } }),
    code: 'INVALID_PROPERTY_VALUE',
    path: 'properties.n',
  },
  {
    apply: (e) => ({ ...e, properties: { at: new Date() } }),
    code: 'INVALID_PROPERTY_VALUE',
    path: 'properties.at',
  },
  {
    apply: (e) => ({ ...e, properties: { f: () => 1 } }),
    code: 'INVALID_PROPERTY_VALUE',
    path: 'properties.f',
  },
  { apply: (e) => ({ ...e, properties: { big } }), code: 'PROPERTIES_TOO_LARGE', path: 'properties' },
  {
    apply: (e) => ({ ...e, properties: JSON.parse('{"__proto__": {"polluted": true}, "tokens": 1}') }),
    code: 'INVALID_PROPERTY_KEY',
    path: 'properties.__proto__',
  },
  {
    apply: (e) => ({ ...e, properties: JSON.parse('{"constructor": "x"}') }),
    code: 'INVALID_PROPERTY_KEY',
    path: 'properties.constructor',
  },
  {
    apply: (e) => ({ ...e, properties: { [Symbol('k')]: 1 } }),
    code: 'INVALID_PROPERTY_KEY',
    path: 'properties',
  },
  { apply: (e) => ({ ...e, properties: { '': 1 } }), code: 'INVALID_PROPERTY_KEY', path: 'properties.' },
  { apply: (e) => ({ ...e, customerId: e.customer_id }), code: 'UNKNOWN_FIELD', path: 'customerId' },
  { apply: () => null, code: 'INVALID_EVENT' },
  { apply: () => 42, code: 'INVALID_EVENT' },
  { apply: () => 'api_call', code: 'INVALID_EVENT' },
  { apply: (e) => [e], code: 'INVALID_EVENT' },
  { apply: (e) => Object.assign(new (class Event {})(), e), code: 'INVALID_EVENT' },
  // Strings no storage can hold byte for byte: lone surrogates and NUL, wherever they appear.
  {
    apply: (e) => ({ ...e, idempotency_key: `${e.idempotency_key}\uD800` }),
    code: 'INVALID_STRING',
    path: 'idempotency_key',
  },
  {
    apply: (e) => ({ ...e, idempotency_key: `${e.idempotency_key}\uDC00x` }),
    code: 'INVALID_STRING',
    path: 'idempotency_key',
  },
  {
    apply: (e) => ({ ...e, idempotency_key: `${e.idempotency_key}\u0000` }),
    code: 'INVALID_STRING',
    path: 'idempotency_key',
  },
  { apply: (e) => ({ ...e, customer_id: 'cus_a\uDBFF' }), code: 'INVALID_STRING', path: 'customer_id' },
  { apply: (e) => ({ ...e, customer_id: 'cus_a\u0000' }), code: 'INVALID_STRING', path: 'customer_id' },
  {
    apply: (e) => ({ ...e, properties: { tokens: 1, model: 'x\uD800' } }),
    code: 'INVALID_STRING',
    path: 'properties.model',
  },
  {
    apply: (e) => ({ ...e, properties: { tokens: 1, model: 'x\u0000y' } }),
    code: 'INVALID_STRING',
    path: 'properties.model',
  },
  {
    apply: (e) => ({ ...e, properties: { tokens: 1, 'k\uDFFF': 'v' } }),
    code: 'INVALID_STRING',
    path: 'properties.k\uDFFF',
  },
  // Numbers beyond 20 integer or 30 fractional digits are refused, never rounded.
  {
    apply: (e) => ({ ...e, properties: { tokens: 1e20 } }),
    code: 'VALUE_OUT_OF_RANGE',
    path: 'properties.tokens',
  },
  {
    apply: (e) => ({ ...e, properties: { tokens: -1e25 } }),
    code: 'VALUE_OUT_OF_RANGE',
    path: 'properties.tokens',
  },
  {
    apply: (e) => ({ ...e, properties: { tokens: 1e-35 } }),
    code: 'VALUE_OUT_OF_RANGE',
    path: 'properties.tokens',
  },
  {
    apply: (e) => ({ ...e, properties: { tokens: 5e-324 } }),
    code: 'VALUE_OUT_OF_RANGE',
    path: 'properties.tokens',
  },
  {
    apply: (e) => ({ ...e, properties: { tokens: Number.MAX_VALUE } }),
    code: 'VALUE_OUT_OF_RANGE',
    path: 'properties.tokens',
  },
  {
    apply: (e) => ({ ...e, properties: { tokens: `1${'0'.repeat(20)}` } }),
    code: 'VALUE_OUT_OF_RANGE',
    path: 'properties.tokens',
  },
  {
    apply: (e) => ({ ...e, properties: { tokens: `0.${'0'.repeat(30)}1` } }),
    code: 'VALUE_OUT_OF_RANGE',
    path: 'properties.tokens',
  },
  // Long strings and impossible dates.
  {
    apply: (e) => ({ ...e, idempotency_key: 'k'.repeat(256) }),
    code: 'INVALID_IDEMPOTENCY_KEY',
    path: 'idempotency_key',
  },
  { apply: (e) => ({ ...e, customer_id: huge }), code: 'INVALID_CUSTOMER_ID', path: 'customer_id' },
  {
    apply: (e) => ({ ...e, timestamp: '2026-02-30T12:00:00Z' }),
    code: 'INVALID_TIMESTAMP',
    path: 'timestamp',
  },
  {
    apply: (e) => ({ ...e, timestamp: '2026-05-31T24:00:00Z' }),
    code: 'INVALID_TIMESTAMP',
    path: 'timestamp',
  },
  {
    apply: (e) => ({ ...e, timestamp: '2026-05-31T10:00:60Z' }),
    code: 'INVALID_TIMESTAMP',
    path: 'timestamp',
  },
  { apply: (e) => ({ ...e, timestamp: new Date(Number.NaN) }), code: 'INVALID_TIMESTAMP', path: 'timestamp' },
  // Hostile objects: each is rejected on its own, the rest of the batch goes on.
  { apply: () => undefined, code: 'INVALID_EVENT', hole: true },
  { apply: (e) => throwing(e, false), code: 'INVALID_EVENT' },
  { apply: (e) => throwing(e, true), code: 'INVALID_EVENT' },
  { apply: (e) => new Proxy(e, { get: trap }), code: 'INVALID_EVENT' },
  { apply: (e) => new Proxy(e, { ownKeys: trap }), code: 'INVALID_EVENT' },
  { apply: (e) => ({ ...e, properties: new Proxy({ tokens: 1 }, { get: trap }) }), code: 'INVALID_EVENT' },
  // Read once: what was validated is what is stored, however often the getter would change its mind.
  {
    apply: (e) => shifty(e, 'customer_id', huge, e.customer_id),
    code: 'INVALID_CUSTOMER_ID',
    path: 'customer_id',
  },
]

/** A batch: valid events and malformed ones, shuffled. `defect` is the index into `defects`, or null. */
export const batchArb = fc.array(
  fc.record({
    defect: fc.option(fc.nat(defects.length - 1), { nil: null, freq: 2 }),
    customer: fc.constantFrom('a', 'b', 'c'),
    tokens: fc.integer({ min: 0, max: 10_000 }),
    shifty: fc.boolean(),
  }),
  { minLength: 200, maxLength: 800 },
)
