import type { SqlOp } from '../../src/adapters/kysely/sql-script.js'
import type { StatementSet } from '../../src/adapters/kysely/statement-set.js'
import type { PreparedEvent } from '../../src/core/events/types.js'
import type { Meter, RollupDelta } from '../../src/core/meters/types.js'
import * as fixtures from '../../src/testing/ports/port-fixtures.js'

/** A statement group of the set: `events`, `rollups`, `meters`, … */
export type StatementGroup = Exclude<keyof StatementSet, 'quirks'>

type BuilderName<T> = {
  [K in keyof T]: T[K] extends (...args: never[]) => SqlOp | readonly SqlOp[] | null ? K : never
}[keyof T]

/**
 * Representative calls of every statement builder, by group and builder, each labelled. Typed so
 * that a builder added to a statement class without a case here does not compile.
 */
export type StatementCases = {
  readonly [G in StatementGroup]: {
    readonly [B in BuilderName<StatementSet[G]>]: (
      statements: StatementSet[G],
    ) => Readonly<Record<string, SqlOp | null>>
  }
}

const { NOW, T0, HOUR } = fixtures

/** The statements a builder answers, labelled `label, statement n` (or as is when there is one). */
function labelled(label: string, ops: readonly SqlOp[]): Record<string, SqlOp> {
  if (ops.length === 1) return { [label]: ops[0]! }
  return Object.fromEntries(ops.map((op, i) => [`${label === '' ? '' : `${label}, `}statement ${i + 1}`, op]))
}

const event = (key: string, customer_id: string, timestamp: number): PreparedEvent => ({
  idempotency_key: key,
  customer_id,
  event_name: 'api_call',
  timestamp,
  properties: { tokens: 12 },
  properties_json: '{"tokens":12}',
  payload_hash: `h_${key}`,
  received_at: T0,
})
const EVENTS = [event('req_1', 'cus_1', T0), event('req_2', 'cus_2', T0 + 1)]

const meter: Meter = {
  code: 'tokens',
  name: null,
  event_name: 'api_call',
  aggregation: 'sum',
  property: 'tokens',
  filters: null,
  created_at: NOW,
}

const delta = (fields: Partial<RollupDelta>): RollupDelta => ({
  meter: 'tokens',
  customer_id: 'cus_1',
  bucket: T0,
  count: 2,
  sum: null,
  min: null,
  max: null,
  latest: null,
  values: null,
  ...fields,
})
const LATEST = { timestamp: T0 + 5, key: 'req_5', value: '7.5' }

const customer = fixtures.customer('cus_1', 'Ada')
const plan = fixtures.plan('basic', 2)
const subscription = { ...fixtures.subscription('sub_1', 'cus_1', T0 + 744 * HOUR), revision: 3 }
const invoice = { ...fixtures.draft('in_1', 'sub_1', '2026-02-01T00:00:00.000Z', 'cus_1'), lines: [] }
const INVOICE_DOC = '{"id":"in_1"}'
const method = fixtures.method('pm_1', 'cus_1')
const payment = {
  ...fixtures.payment('pay_1', 'ref_1', 'in_1', 'cus_1'),
  lease_until: T0 + HOUR,
  revision: 1,
}

const allowance = {
  customer_id: 'cus_1',
  meter: 'api_calls',
  period_start: T0,
  period_end: T0 + 744 * HOUR,
  limit: '10000',
  enforce: true,
  granted: '0',
  used: '12',
  reserved: '0',
  next_expiry: null,
  revision: 2,
}
const reservation = {
  id: 'rsv_1',
  idempotency_key: 'req_9',
  customer_id: 'cus_1',
  meter: 'api_calls',
  period_start: T0,
  quantity: '4000',
  status: 'held' as const,
  expires_at: T0 + HOUR,
  created_at: T0,
  settled_by: null,
  settled_quantity: null,
}

const notification = {
  id: 'ntf_1',
  key: 'invoice.paid:in_1',
  type: 'invoice.paid' as const,
  customer_id: 'cus_1',
  created_at: T0,
  data: { invoice_id: 'in_1' },
}

const rollupQuery = { meter: 'tokens', customer_id: 'cus_1', fromBucket: T0, toBucket: T0 + 24 * HOUR }
const minuteQuery = {
  ...rollupQuery,
  fromBucket: T0 + 60_000,
  toBucket: T0 + 45 * 60_000,
  grain: 'minute' as const,
}

/**
 * Every statement builder of a statement set, called with representative arguments: each optional
 * clause on and off, one and two rows for multi-row statements, every rollup shape and lock mode.
 *
 * @example
 * STATEMENT_CASES.meters.readVersion(statementSet(sqliteQuirks).meters) // { shared: {…}, exclusive: {…} }
 */
export const STATEMENT_CASES: StatementCases = {
  events: {
    insert: (s) => ({
      'one event, batch token 7': s.insert(EVENTS.slice(0, 1), 7),
      'two events, batch token 7': s.insert(EVENTS, 7),
    }),
    insertOne: (s) => ({ 'one event': s.insertOne(EVENTS[0]!) }),
    insertKeys: (s) => ({ 'two events': s.insertKeys(EVENTS) }),
    insertLog: (s) => ({ 'two events': s.insertLog(EVENTS) }),
    storedHashes: (s) => ({ 'two keys': s.storedHashes(['req_1', 'req_2']) }),
    scanByName: (s) => ({ 'after seq 40, 5000 rows': s.scanByName('api_call', 40, 5000) }),
    edge: (s) => ({
      'one hour': s.edge({ customer_id: 'cus_1', event_name: 'api_call', from: T0, to: T0 + HOUR }),
    }),
    page: (s) => ({
      'first page': s.page({ customer_id: 'cus_1', limit: 100 }),
      'window, after a position': s.page({
        customer_id: 'cus_1',
        from: T0,
        to: T0 + HOUR,
        after: { timestamp: T0 + 10, seq: 42 },
        limit: 100,
      }),
    }),
  },
  partitions: {
    lock: (s) => ({ '': s.lock() }),
    create: (s) => ({ 'January 2027': s.create('202701') }),
  },
  rollups: {
    upsert: (s) => ({
      count: s.upsert([delta({})], 'count'),
      'count, two rows': s.upsert([delta({}), delta({ customer_id: 'cus_2' })], 'count'),
      sum: s.upsert([delta({ sum: '12.5' })], 'sum'),
      min: s.upsert([delta({ min: '0.25' })], 'min'),
      max: s.upsert([delta({ max: '99' })], 'max'),
      latest: s.upsert([delta({ latest: LATEST })], 'latest'),
      full: s.upsert([delta({ sum: '12.5', min: '0.25', max: '99', latest: LATEST })], 'full'),
    }),
    insertValues: (s) => ({
      'two values': s.insertValues([
        ['visitors', 'cus_1', T0, 'u_1'],
        ['visitors', 'cus_1', T0, 'u_2'],
      ]),
    }),
    read: (s) => ({ 'one day': s.read(rollupQuery) }),
    readValues: (s) => ({ 'one day': s.readValues(rollupQuery) }),
  },
  meterHours: {
    upsert: (s) => ({
      'two counts': s.upsert([
        ['calls', T0, 3, 12, null, null, null],
        ['calls', T0 + HOUR, 3, 1, null, null, null],
      ]),
      'sum, min and max': s.upsert([['tokens', T0, 0, 2, '12.5', '0.25', '99']]),
    }),
  },
  rollupTotals: {
    total: (s) => ({
      'count meter': s.total(rollupQuery, 'count'),
      'sum meter': s.total(rollupQuery, 'sum'),
      'min meter': s.total(rollupQuery, 'min'),
      'max meter': s.total(rollupQuery, 'max'),
      'latest meter': s.total(rollupQuery, 'latest'),
      'unknown meter': s.total(rollupQuery, undefined),
    }),
    totalsOf: (s) => ({
      'two customers, sums': s.totalsOf(
        { meter: 'tokens', customer_ids: ['cus_1', 'cus_2'], fromBucket: T0, toBucket: T0 + 24 * HOUR },
        'sum',
      ),
    }),
    latestAt: (s) => ({ 'one day': s.latestAt(rollupQuery, T0 + 5) }),
  },
  minuteRollups: {
    upsert: (s) => ({
      count: s.upsert([delta({})], 'count'),
      sum: s.upsert([delta({ sum: '12.5' })], 'sum'),
      full: s.upsert([delta({ sum: '12.5', min: '0.25', max: '99', latest: LATEST })], 'full'),
    }),
    // Minute rollups keep no unique values: their statements exist, unused.
    insertValues: () => ({}),
    read: (s) => ({ 'one hour': s.read(minuteQuery) }),
    readValues: () => ({}),
  },
  minuteRollupTotals: {
    total: (s) => ({
      'count meter': s.total(minuteQuery, 'count'),
      'latest meter': s.total(minuteQuery, 'latest'),
      'unknown meter': s.total(minuteQuery, undefined),
    }),
    totalsOf: () => ({}),
    latestAt: (s) => ({ 'one hour': s.latestAt(minuteQuery, T0 + 5) }),
  },
  merge: {
    tail: (s) => ({ 'last and merged seq': s.tail() }),
    indexEvents: (s) => ({ 'events 10 to 20': s.indexEvents(10, 20) }),
    setMerged: (s) => ({ 'through 20': s.setMerged(20) }),
    addPending: (s) => ({ 'one delta': s.addPending('[["calls","cus_1",0,1,null,null,null,null,null]]') }),
    pending: (s) => ({ all: s.pending() }),
    pendingSlice: (s) => ({ 'oldest 256': s.pendingSlice(256) }),
    clearPendingThrough: (s) => ({ 'through 40': s.clearPendingThrough(40) }),
    clearPending: (s) => ({ all: s.clearPending() }),
  },
  usage: {
    series: (s) => ({
      "one customer's sums": s.series({
        meter: 'tokens',
        aggregation: 'sum',
        customer_id: 'cus_1',
        from: T0,
        to: T0 + 24 * HOUR,
      }),
      "all customers' sums": s.series({ meter: 'tokens', aggregation: 'sum', from: T0, to: T0 + 24 * HOUR }),
      "all customers' counts": s.series({
        meter: 'tokens',
        aggregation: 'count',
        from: T0,
        to: T0 + 24 * HOUR,
      }),
      'unique counts': s.series({
        meter: 'tokens',
        aggregation: 'unique_count',
        from: T0,
        to: T0 + 24 * HOUR,
      }),
      'latest values': s.series({ meter: 'tokens', aggregation: 'latest', from: T0, to: T0 + 24 * HOUR }),
      minimums: s.series({ meter: 'tokens', aggregation: 'min', from: T0, to: T0 + 24 * HOUR }),
      maximums: s.series({ meter: 'tokens', aggregation: 'max', from: T0, to: T0 + 24 * HOUR }),
    }),
    top: (s) => ({
      counts: s.top({ meter: 'tokens', aggregation: 'count', from: T0, to: T0 + 744 * HOUR, limit: 10 }),
      sums: s.top({ meter: 'tokens', aggregation: 'sum', from: T0, to: T0 + 744 * HOUR, limit: 10 }),
    }),
  },
  meters: {
    lock: (s) => ({ shared: s.lock('shared'), exclusive: s.lock('exclusive') }),
    readVersion: (s) => ({ shared: s.readVersion('shared'), exclusive: s.readVersion('exclusive') }),
    bumpVersion: (s) => ({ '': s.bumpVersion() }),
    list: (s) => ({ '': s.list() }),
    get: (s) => ({ '': s.get('tokens') }),
    insert: (s) => ({ 'third meter': s.insert(meter, 3) }),
  },
  customers: {
    insert: (s) => ({ '': s.insert(customer) }),
    save: (s) => ({ '': s.save(customer) }),
    get: (s) => ({ '': s.get('cus_1') }),
    page: (s) => ({
      'first page': s.page({ limit: 10 }),
      'after an id': s.page({ after: 'cus_1', limit: 10 }),
      'among ids': s.page({ ids: ['cus_1', 'cus_2'], limit: 2 }),
      'among ids, after an id': s.page({ ids: ['cus_1', 'cus_2'], after: 'cus_1', limit: 2 }),
    }),
    search: (s) => ({
      'first page': s.search({ query: 'Ada', limit: 10 }),
      'wildcards, after an id': s.search({ query: "50%_off! OR '1'='1", after: 'cus_1', limit: 10 }),
    }),
  },
  plans: {
    insert: (s) => ({ '': s.insert(plan) }),
    versions: (s) => ({ '': s.versions('basic') }),
    latestPage: (s) => ({
      'first page': s.latestPage({ limit: 10 }),
      'after a code': s.latestPage({ after: 'basic', limit: 10 }),
    }),
  },
  subscriptions: {
    insert: (s) => ({ '': s.insert(subscription) }),
    get: (s) => ({ '': s.get('sub_1') }),
    update: (s) => ({ 'revision 2 to 3': s.update(subscription) }),
    page: (s) => ({
      'first page': s.page({ limit: 10 }),
      "a customer's, after an id": s.page({ customer_id: 'cus_1', after: 'sub_0', limit: 10 }),
    }),
    due: (s) => ({
      'first page': s.due({ due_by: T0, limit: 10 }),
      'after an id': s.due({ due_by: T0, after: 'sub_0', limit: 10 }),
      'one shard of four, after an id': s.due({
        due_by: T0,
        after: 'sub_0',
        limit: 10,
        shard: { index: 1, count: 4 },
      }),
    }),
  },
  invoices: {
    insertOnce: (s) => ({ '': s.insertOnce(invoice, INVOICE_DOC) }),
    byPeriod: (s) => ({ '': s.byPeriod('sub_1', invoice.period_end) }),
    deleteMany: (s) => ({ 'two ids': s.deleteMany(['in_1', 'in_2']) }),
    idsAmong: (s) => ({ 'two ids': s.idsAmong(['in_1', 'in_2']) }),
    insertManyOnce: (s) => ({
      'two invoices, the second a placeholder': s.insertManyOnce(
        [invoice, { ...invoice, id: 'in_2', subscription_id: 'sub_2' }],
        (i) => i.id === 'in_2',
      ),
    }),
    insertMany: (s) => ({
      'two invoices': s.insertMany([invoice, { ...invoice, id: 'in_2', subscription_id: 'sub_2' }]),
    }),
    get: (s) => ({ plain: s.get('in_1'), locked: s.get('in_1', true) }),
    page: (s) => ({
      'first page': s.page({ limit: 10 }),
      'every filter, after an id': s.page({
        customer_id: 'cus_1',
        subscription_id: 'sub_1',
        status: 'open',
        after: 'in_0',
        limit: 10,
      }),
      'drafts of one shard of four, after an id': s.page({
        status: 'draft',
        after: 'in_0',
        limit: 10,
        shard: { index: 3, count: 4 },
      }),
    }),
    updateDraft: (s) => ({ '': s.updateDraft('in_1', INVOICE_DOC) }),
    markFinal: (s) => ({ '': s.markFinal('in_1', 'open') }),
    replace: (s) => ({
      'open to paid': s.replace('open', {
        ...invoice,
        status: 'paid',
        currency: 'EUR',
        total: 1200,
        finalized_at: NOW,
      }),
    }),
    totals: (s) => ({ 'one month': s.totals({ from: T0, to: T0 + 744 * HOUR }) }),
    nextNumber: (s) => ({ 'by one': s.nextNumber('INV'), 'by three': s.nextNumber('INV', 3) }),
    readNumber: (s) => ({ '': s.readNumber('INV') }),
  },
  closedPeriods: {
    horizon: (s) => ({ '': s.horizon() }),
    marks: (s) => ({ 'two customers': s.marks(['cus_1', 'cus_2']) }),
    raise: (s) => ({
      'customer and horizon': s.raise([
        ['', T0],
        ['cus_1', T0],
      ]),
    }),
  },
  paymentMethods: {
    insert: (s) => ({ '': s.insert(method) }),
    save: (s) => ({ '': s.save(method) }),
    get: (s) => ({ '': s.get('pm_1') }),
    ofCustomer: (s) => ({ '': s.ofCustomer('cus_1') }),
  },
  payments: {
    insertOnce: (s) => ({ '': s.insertOnce(payment, '{"id":"pay_1"}') }),
    get: (s) => ({ '': s.get('pay_1') }),
    byReference: (s) => ({ '': s.byReference('ref_1') }),
    update: (s) => ({ 'revision 0 to 1': s.update(payment) }),
    page: (s) => ({
      'first page': s.page({ limit: 10 }),
      'both filters, after an id': s.page({
        invoice_id: 'in_1',
        customer_id: 'cus_1',
        after: 'pay_0',
        limit: 10,
      }),
    }),
  },
  entitlements: {
    insertAllowance: (s) => labelled('', s.insertAllowance(allowance)),
    allowance: (s) => ({ plain: s.allowance(allowance, false), locking: s.allowance(allowance, true) }),
    lockAllowanceCustomers: (s) => ({ 'two customers': s.lockAllowanceCustomers(['cus_1', 'cus_2']) }),
    claimAllowanceCustomers: (s) => ({ 'two customers': s.claimAllowanceCustomers(['cus_1', 'cus_2']) }),
    allowancesOverlapping: (s) => ({
      'two customers, one hour': s.allowancesOverlapping(['cus_1', 'cus_2'], T0, T0 + HOUR, false),
      'two customers, one hour, locked': s.allowancesOverlapping(['cus_1', 'cus_2'], T0, T0 + HOUR, true),
    }),
    writeAllowances: (s) => {
      const other = { ...allowance, customer_id: 'cus_2', next_expiry: T0 + HOUR }
      return {
        ...labelled('two allowances', s.writeAllowances([allowance, other])),
        ...labelled(
          'usage only of the second',
          s.writeAllowances([allowance, other], (a) => a === other),
        ),
      }
    },
    dueAllowances: (s) => ({ '': s.dueAllowances(T0) }),
    nearLimit: (s) => ({
      'first page': s.nearLimit({ at: T0, ratio: 0.8, limit: 20 }),
      'after an allowance': s.nearLimit({
        at: T0,
        ratio: 0.8,
        limit: 20,
        after: { fill: 0.9, customer_id: 'cus_1', meter: 'api_calls' },
      }),
    }),
    updateAllowance: (s) => labelled('', s.updateAllowance(allowance)),
    insertReservation: (s) => ({ '': s.insertReservation(reservation) }),
    reservation: (s) => ({ '': s.reservation('rsv_1') }),
    reservationByKey: (s) => ({ '': s.reservationByKey('req_9') }),
    reservations: (s) => ({ 'two ids': s.reservations(['rsv_1', 'rsv_2']) }),
    held: (s) => ({ '': s.held(allowance) }),
    updateReservation: (s) => ({ '': s.updateReservation(reservation) }),
    limitedMeters: (s) => ({ '': s.limitedMeters() }),
    insertLimited: (s) => ({ '': s.insertLimited('api_calls') }),
  },
  notifications: {
    insert: (s) => ({ '': s.insert(notification) }),
    insertMany: (s) => ({
      'two records': s.insertMany([notification, { ...notification, id: 'ntf_2', key: 'invoice.paid:in_2' }]),
    }),
    page: (s) => ({
      'first page': s.page({ limit: 100 }),
      'after an id, by type and customer': s.page({
        after: 'ntf_1',
        type: 'invoice.paid',
        customer_id: 'cus_1',
        limit: 10,
      }),
    }),
    unseen: (s) => ({ 'from the start': s.unseen('handler'), 'past seq 7': s.unseen('handler', 7) }),
    insertDelivery: (s) => ({ '': s.insertDelivery('ntf_1', 'handler', 'cus_1', 7) }),
    due: (s) => ({ '': s.due('handler', T0, 10) }),
    lease: (s) => ({ '': s.lease('ntf_1', 'handler', T0, T0 + HOUR) }),
    getDocs: (s) => ({ 'two ids': s.getDocs(['ntf_1', 'ntf_2']) }),
    settle: (s) => ({
      delivered: s.settle('handler', 'ntf_1', { delivered: true }),
      'retried later': s.settle('handler', 'ntf_1', {
        delivered: false,
        error: 'HTTP 500',
        retry_at: T0 + HOUR,
      }),
      parked: s.settle('handler', 'ntf_1', { delivered: false, error: 'HTTP 500', retry_at: null }),
    }),
    redeliver: (s) => ({
      'every parked': s.redeliver('handler', T0),
      'two ids': s.redeliver('handler', T0, ['ntf_1', 'ntf_2']),
    }),
    deliveriesOf: (s) => ({ '': s.deliveriesOf('ntf_1') }),
  },
  alerts: {
    insert: (s) => ({
      '': s.insert({
        id: 'alr_1',
        meter: 'tokens',
        plan_code: 'starter',
        customer_id: null,
        thresholds: [{ percent: 80 }],
        created_at: T0,
        swept_at: null,
      }),
    }),
    list: (s) => ({ '': s.list() }),
    markSwept: (s) => ({ '': s.markSwept('alr_1', T0) }),
    remove: (s) => ({ '': s.remove('alr_1') }),
  },
  apiKeys: {
    insert: (s) => ({
      '': s.insert({
        id: 'key_1',
        name: 'go-service',
        scopes: ['events:write'],
        prefix: 'kbm_sk_AbCdE',
        hash: 'a'.repeat(64),
        created_at: T0,
        expires_at: null,
        last_used_at: null,
        revoked_at: null,
      }),
    }),
    get: (s) => ({ '': s.get('key_1') }),
    findByHash: (s) => ({ '': s.findByHash('a'.repeat(64)) }),
    page: (s) => ({ first: s.page({ limit: 10 }), after: s.page({ after: 'key_1', limit: 10 }) }),
    revoke: (s) => ({ '': s.revoke('key_1', T0) }),
    touch: (s) => ({
      'two keys': s.touch([
        { id: 'key_1', at: T0 },
        { id: 'key_2', at: T0 + HOUR },
      ]),
    }),
  },
  sessions: {
    insert: (s) => ({
      operator: s.insert({
        id: 'ses_1',
        hash: 'a'.repeat(64),
        kind: 'operator',
        customer_id: null,
        api_key_id: 'key_1',
        return_url: null,
        created_at: T0,
        expires_at: T0 + HOUR,
        revoked_at: null,
      }),
    }),
    get: (s) => ({ '': s.get('ses_1') }),
    findByHash: (s) => ({ '': s.findByHash('a'.repeat(64)) }),
    page: (s) => ({
      first: s.page({ limit: 10 }),
      'live portal sessions of a customer, after': s.page({
        kind: 'portal',
        customer_id: 'cus_1',
        live_at: T0,
        after: 'ses_1',
        limit: 10,
      }),
    }),
    revoke: (s) => ({ '': s.revoke('ses_1', T0) }),
    revokeAll: (s) => ({
      'of an API key': s.revokeAll({ api_key_id: 'key_1' }, T0),
      'of a customer': s.revokeAll({ customer_id: 'cus_1' }, T0),
    }),
    deleteExpired: (s) => ({ '': s.deleteExpired(T0) }),
  },
}
