import fc from 'fast-check'

/** A defect injected into an otherwise valid event, and the rejection it must produce. */
export interface Defect {
  apply(event: Record<string, unknown>, now: number): unknown
  code: string
  path?: string
}

const big = 'x'.repeat(8200)

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
]

/** A batch: valid events and malformed ones, shuffled. `defect` is the index into `defects`, or null. */
export const batchArb = fc.array(
  fc.record({
    defect: fc.option(fc.nat(defects.length - 1), { nil: null, freq: 2 }),
    customer: fc.constantFrom('a', 'b', 'c'),
    tokens: fc.integer({ min: 0, max: 10_000 }),
  }),
  { minLength: 200, maxLength: 800 },
)
