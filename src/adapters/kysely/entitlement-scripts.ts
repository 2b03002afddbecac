import { allowanceNotices, restoredNotice, setMarks } from '../../core/alerts/allowance-notices.js'
import type { AlertMark } from '../../core/alerts/types.js'
import { AllowanceLedger } from '../../core/entitlements/allowance-ledger.js'
import { BillingError, ErrorCode } from '../../core/errors.js'
import { planWindow } from '../../core/meters/buckets.js'
import { quantityOf, RollupAccumulator } from '../../core/meters/rollup.js'
import type { Meter } from '../../core/meters/types.js'
import { Decimal } from '../../core/money/decimal.js'
import type {
  AllowanceKey,
  AllowanceOpening,
  AllowanceRecord,
  EffectsOf,
  NotificationRecord,
  ReservationRecord,
  ReserveOutcome,
} from '../../core/ports/index.js'
import { settleMergeScript } from './deferred-merge.js'
import { allowanceOf } from './entitlement-statements.js'
import { addNotificationsScript } from './notification-scripts.js'
import { toMeter, toRollupState, toStoredEvent } from './row-mappers.js'
import { chunks, type Row, type SqlScript } from './sql-script.js'
import type { StatementSet } from './statement-set.js'

/** One caller's allowances to open, how its meters' events count, and its clock reading. */
export interface OpenRequest {
  openings: readonly AllowanceOpening[]
  effects: EffectsOf
  now: number
}

const docOf = <T>(row: { doc?: unknown } | undefined): T | null =>
  row === undefined ? null : (JSON.parse(String(row.doc)) as T)

/**
 * The open transaction. Every append in flight that weighed one of the customers' events and found
 * no allowance must be counted by the period total read here or by the allowance afterwards, never
 * both, never neither. Where writers run concurrently and every meter opened is limited already (a
 * new period of a running subscription, or a customer's first allowance of such a meter), the open
 * locks only those customers' rows in `kobometer_allowance_customers`, creating those missing: the
 * rows every append weighing their events locks first (see `lockAllowanceCustomers`). Appends that
 * hold them have committed before the total is read, and appends that wait for them read the
 * customer's allowances once this open has committed (see `weighScript`). Otherwise (a meter's
 * first allowance, SQLite) the exclusive side of the meters lock excludes every append; the first
 * allowance of a meter marks it limited and bumps the meters version, so every process's next
 * append weighs its events. A new allowance already past an alert threshold writes its
 * notification in this transaction, stamped with its own request's `now`. Several callers'
 * requests may share the transaction (see `SqlEntitlementStore.open`): each gets its own
 * allowances back, in the order of its openings.
 *
 * @example
 * const [[allowance]] = yield* openAllowancesScript(statements, [{ openings: [opening], effects, now }])
 */
export function* openAllowancesScript(
  statements: StatementSet,
  requests: readonly OpenRequest[],
): SqlScript<AllowanceRecord[][]> {
  const sql = statements.entitlements
  const openings = requests.flatMap((r) => r.openings)
  const customers = [...new Set(openings.map((o) => o.customer_id))].sort()
  const rowLocks = statements.quirks.lockingReadSuffix !== ''
  const byCustomer = rowLocks && (yield* limitedAlready(statements, openings))
  if (byCustomer) yield* lockAllowanceCustomers(statements, customers)
  else {
    const lock = statements.meters.lock('exclusive')
    if (lock !== null) yield lock
    yield statements.meters.readVersion('exclusive')
    // After it: an open of the same customers that took only their own lock has committed.
    if (rowLocks) yield* lockAllowanceCustomers(statements, customers)
  }
  const reads: OpenReads = { meters: new Map(), settled: false, edges: new Map() }
  const answers: AllowanceRecord[][] = []
  const notes: NotificationRecord[] = []
  for (const { openings: own, effects, now } of requests) {
    const out: AllowanceRecord[] = []
    for (const opening of own) {
      const existing = allowanceOf((yield sql.allowance(opening, false)).rows[0])
      if (existing !== null) {
        out.push(existing)
        continue
      }
      const record: AllowanceRecord = {
        ...opening,
        granted: '0',
        used: yield* periodTotal(statements, opening, effects, reads),
        reserved: '0',
        next_expiry: null,
        revision: 1,
      }
      notes.push(...allowanceNotices(record, now))
      for (const op of sql.insertAllowance(record)) yield op
      if (!byCustomer && (yield sql.insertLimited(opening.meter)).affected > 0) {
        yield statements.meters.bumpVersion()
      }
      out.push(record)
    }
    answers.push(out)
  }
  if (notes.length > 0) yield* addNotificationsScript(statements, notes)
  return answers
}

/** Whether every meter opened is limited already (it never stops being so once it is). */
function* limitedAlready(
  statements: StatementSet,
  openings: readonly AllowanceOpening[],
): SqlScript<boolean> {
  const limited = new Set(
    (yield statements.entitlements.limitedMeters()).rows.map((row) => String(row.meter)),
  )
  return openings.every((o) => limited.has(o.meter))
}

/**
 * Locks the customers' rows in `kobometer_allowance_customers` (given sorted), creating those
 * missing: the first lock of every transaction that opens or weighs a customer's allowances where
 * writers run concurrently. The rows found are locked first, in customer order (one read, the
 * common case); the rest are claimed, inserted or, if another transaction inserted one meanwhile,
 * locked once it commits. So every transaction that runs this for a customer ends up holding the
 * one row, and they queue on it. Claiming after locking the rows found is out of customer order:
 * racing a row's first commit, two transactions of the same customers can deadlock once; the
 * database breaks it and the runner retries the transaction (it holds nothing else yet).
 *
 * @example
 * yield* lockAllowanceCustomers(statements, ['cus_1', 'cus_2'])
 */
export function* lockAllowanceCustomers(
  statements: StatementSet,
  customers: readonly string[],
): SqlScript<void> {
  const sql = statements.entitlements
  const size = statements.quirks.maxRowsPerStatement
  const found = new Set<string>()
  for (const chunk of chunks(customers, size)) {
    for (const row of (yield sql.lockAllowanceCustomers(chunk)).rows) found.add(String(row.customer_id))
  }
  if (found.size === customers.length) return
  const missing = customers.filter((c) => !found.has(c))
  for (const chunk of chunks(missing, size)) yield sql.claimAllowanceCustomers(chunk)
}

/**
 * The watch transaction: lock the allowance, set its alert marks and write the notifications of
 * thresholds it has already reached, with the marks that say they fired.
 *
 * @example
 * const watched = yield* watchScript(statements, key, marks, Date.now())
 */
export function* watchScript(
  statements: StatementSet,
  key: AllowanceKey,
  marks: readonly AlertMark[],
  now: number,
): SqlScript<AllowanceRecord | null> {
  const allowance = allowanceOf((yield statements.entitlements.allowance(key, true)).rows[0])
  if (allowance === null) return null
  setMarks(allowance, marks)
  const notes = allowanceNotices(allowance, now)
  const next = { ...allowance, revision: allowance.revision + 1 }
  for (const op of statements.entitlements.updateAllowance(next)) yield op
  if (notes.length > 0) yield* addNotificationsScript(statements, notes)
  return next
}

// What the opens of one transaction read once and share: the meters, whether the merge was
// settled, and each event edge read (two meters of the same event name read the same edges).
interface OpenReads {
  meters: Map<string, Meter | null>
  settled: boolean
  edges: Map<string, readonly Row[]>
}

// The meter's exact total over the allowance's period: whole hours from rollups, edges from events.
function* periodTotal(
  statements: StatementSet,
  opening: AllowanceOpening,
  effects: EffectsOf,
  reads: OpenReads,
): SqlScript<string> {
  let meter = reads.meters.get(opening.meter)
  if (meter === undefined) {
    const row = (yield statements.meters.get(opening.meter)).rows[0]
    meter = row === undefined ? null : toMeter(row)
    reads.meters.set(opening.meter, meter)
  }
  if (meter === null) return '0'
  if (!reads.settled) {
    yield* settleMergeScript(statements)
    reads.settled = true
  }
  const plan = planWindow(opening.period_start, opening.period_end)
  const acc = new RollupAccumulator()
  if (plan.buckets !== null) {
    const query = { meter: meter.code, customer_id: opening.customer_id, ...plan.buckets }
    for (const row of (yield statements.rollups.read(query)).rows) acc.add(toRollupState(row))
  }
  const effectsOf = effects([meter])
  for (const edge of plan.edges) {
    const query = { customer_id: opening.customer_id, event_name: meter.event_name, ...edge }
    const key = JSON.stringify(query)
    let rows = reads.edges.get(key)
    if (rows === undefined) {
      rows = (yield statements.events.edge(query)).rows
      reads.edges.set(key, rows)
    }
    for (const row of rows) {
      for (const delta of effectsOf(toStoredEvent(row)).deltas) acc.add(delta)
    }
  }
  return quantityOf(meter.aggregation, acc.result())
}

/**
 * The held reservations of an allowance when some of them may have expired by `now` (its
 * `next_expiry` has passed), else none: what a ledger needs to free expired holds.
 *
 * @example
 * const held = yield* heldIfDue(statements, allowance, Date.now())
 */
export function* heldIfDue(
  statements: StatementSet,
  allowance: AllowanceRecord,
  now: number,
): SqlScript<ReservationRecord[]> {
  if (allowance.next_expiry === null || allowance.next_expiry > now) return []
  const { rows } = yield statements.entitlements.held(allowance)
  return rows.map((row) => docOf<ReservationRecord>(row)!)
}

/** Locks an allowance and loads a ledger over it (with its held reservations when some may have expired). */
function* lockLedger(
  statements: StatementSet,
  key: AllowanceKey,
  now: number,
): SqlScript<{ allowance: AllowanceRecord; ledger: AllowanceLedger } | null> {
  const allowance = allowanceOf((yield statements.entitlements.allowance(key, true)).rows[0])
  if (allowance === null) return null
  const held = yield* heldIfDue(statements, allowance, now)
  return { allowance, ledger: new AllowanceLedger([allowance], [], now, held) }
}

function* writeLedger(statements: StatementSet, ledger: AllowanceLedger): SqlScript<void> {
  const notes = ledger.notices()
  for (const a of ledger.changedAllowances) {
    for (const op of statements.entitlements.updateAllowance({ ...a, revision: a.revision + 1 })) yield op
  }
  for (const r of ledger.changedReservations) yield statements.entitlements.updateReservation(r)
  if (notes.length > 0) yield* addNotificationsScript(statements, notes)
}

/**
 * The reserve transaction: lock the allowance, then look the idempotency key up (so two reserves of
 * one key are serialized), free expired holds, and hold the quantity if the limit allows.
 *
 * @example
 * const outcome = yield* reserveScript(statements, reservation, Date.now())
 */
export function* reserveScript(
  statements: StatementSet,
  reservation: ReservationRecord,
  now: number,
): SqlScript<ReserveOutcome> {
  const sql = statements.entitlements
  const locked = yield* lockLedger(statements, reservation, now)
  if (locked === null) {
    throw new BillingError(ErrorCode.INVALID_STATE, 'reserve needs an open allowance: open it first')
  }
  const { ledger, allowance } = locked
  const earlier = docOf<ReservationRecord>((yield sql.reservationByKey(reservation.idempotency_key)).rows[0])
  if (earlier === null && ledger.hold(reservation)) {
    if ((yield sql.insertReservation(reservation)).affected > 0) {
      yield* writeLedger(statements, ledger)
      return { reservation, created: true, allowance: { ...allowance, revision: allowance.revision + 1 } }
    }
  } else if (earlier === null) {
    yield* writeLedger(statements, ledger)
    return { reservation: null, created: false, allowance: bumped(ledger, allowance) }
  }
  // The key was taken (by an earlier call, or one that committed meanwhile for another allowance).
  const stored = docOf<ReservationRecord>((yield sql.reservationByKey(reservation.idempotency_key)).rows[0])
  const fresh = yield* lockLedger(statements, reservation, now)
  if (fresh !== null) yield* writeLedger(statements, fresh.ledger)
  return {
    reservation: stored,
    created: false,
    allowance: fresh === null ? allowance : bumped(fresh.ledger, fresh.allowance),
  }
}

function bumped(ledger: AllowanceLedger, allowance: AllowanceRecord): AllowanceRecord {
  return ledger.changedAllowances.has(allowance)
    ? { ...allowance, revision: allowance.revision + 1 }
    : allowance
}

/**
 * The release transaction: lock the reservation's allowance, read the reservation again under it,
 * and end it if still held.
 *
 * @example
 * const released = yield* releaseScript(statements, 'rsv_1', Date.now())
 */
export function* releaseScript(
  statements: StatementSet,
  id: string,
  now: number,
): SqlScript<{ reservation: ReservationRecord; changed: boolean } | null> {
  const sql = statements.entitlements
  const first = docOf<ReservationRecord>((yield sql.reservation(id)).rows[0])
  if (first === null) return null
  const allowance = allowanceOf((yield sql.allowance(first, true)).rows[0])
  // Read again under the allowance's lock: only then is its status current.
  const reservation = docOf<ReservationRecord>((yield sql.reservation(id)).rows[0])!
  if (allowance === null || reservation.status !== 'held') return { reservation, changed: false }
  const held = yield* heldIfDue(statements, allowance, now)
  const ledger = new AllowanceLedger([allowance], [reservation], now, held)
  ledger.release(reservation)
  yield* writeLedger(statements, ledger)
  return { reservation, changed: true }
}

/**
 * Frees the holds of every reservation past its expiry, one allowance per transaction step.
 *
 * @example
 * const expired = yield* expireScript(statements, Date.now())
 */
export function* expireScript(statements: StatementSet, now: number): SqlScript<number> {
  const { rows } = yield statements.entitlements.dueAllowances(now)
  let expired = 0
  for (const row of rows) {
    const key = {
      customer_id: String(row.customer_id),
      meter: String(row.meter),
      period_start: Number(row.period_start),
    }
    const locked = yield* lockLedger(statements, key, now)
    if (locked === null) continue
    expired += [...locked.ledger.changedReservations].filter((r) => r.status === 'expired').length
    yield* writeLedger(statements, locked.ledger)
  }
  return expired
}

/**
 * Adds to an allowance's `granted` under its row lock, writing `entitlement.restored` when that
 * lifts an exhausted allowance.
 *
 * @example
 * const allowance = yield* grantScript(statements, key, '200000', Date.now())
 */
export function* grantScript(
  statements: StatementSet,
  key: AllowanceKey,
  quantity: string,
  now: number,
): SqlScript<AllowanceRecord | null> {
  const allowance = allowanceOf((yield statements.entitlements.allowance(key, true)).rows[0])
  if (allowance === null) return null
  const next = {
    ...allowance,
    granted: new Decimal(allowance.granted).plus(quantity).toFixed(),
    revision: allowance.revision + 1,
  }
  for (const op of statements.entitlements.updateAllowance(next)) yield op
  const notes = restoredNotice(allowance, next, now)
  if (notes.length > 0) yield* addNotificationsScript(statements, notes)
  return next
}

/**
 * Sets or clears `blocked` on a customer's allowances of the period containing `at`, under the
 * customer's lock and their row locks.
 *
 * @example
 * const written = yield* blockScript(statements, 'cus_1', Date.now(), 'paused')
 */
export function* blockScript(
  statements: StatementSet,
  customer_id: string,
  at: number,
  blocked: 'paused' | 'canceled' | null,
): SqlScript<AllowanceRecord[]> {
  const sql = statements.entitlements
  const locking = statements.quirks.lockingReadSuffix !== ''
  if (locking) yield sql.lockAllowanceCustomers([customer_id])
  const { rows } = yield sql.allowancesOverlapping([customer_id], at, at, locking)
  const written = rows
    .map((row) => allowanceOf(row)!)
    .map((a) => ({ ...a, blocked, blocked_at: blocked === null ? null : at, revision: a.revision + 1 }))
  for (const op of sql.writeAllowances(written)) yield op
  return written
}
