import type { PreparedEvent } from '../../core/events/types.js'
import type { PeriodClose } from '../../core/ports/index.js'
import type { ClosedMarkRow } from './closed-period-statements.js'
import { CLOSED_HORIZON_ID } from './schema.js'
import { chunks, type SqlScript } from './sql-script.js'
import type { StatementSet } from './statement-set.js'

/**
 * The close transaction: takes the exclusive side of the meters lock, which waits for every append
 * in flight (they hold the shared side) and holds new ones off until commit; then raises each
 * customer's mark and the horizon. An append that starts afterwards reads the new marks, so once
 * this commits no event before a mark can still be stored. The meters version is read (MySQL locks
 * through it) but not bumped: meters did not change.
 *
 * @example
 * yield* closePeriodsScript(statements, [{ customer_id: 'c_1', before: Date.parse('2025-02-01') }])
 */
export function* closePeriodsScript(
  statements: StatementSet,
  closes: readonly PeriodClose[],
): SqlScript<void> {
  const lock = statements.meters.lock('exclusive')
  if (lock !== null) yield lock
  yield statements.meters.readVersion('exclusive')

  const marks = new Map<string, number>()
  const raise = (id: string, before: number) => marks.set(id, Math.max(marks.get(id) ?? before, before))
  for (const { customer_id, before } of closes) {
    raise(customer_id, before)
    raise(CLOSED_HORIZON_ID, before)
  }
  const rows: ClosedMarkRow[] = [...marks].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  for (const chunk of chunks(rows, statements.quirks.maxRowsPerStatement)) {
    yield statements.closedPeriods.raise(chunk)
  }
}

/**
 * Which of `events` fall in a closed period: idempotency key → its customer's mark. Runs inside
 * the append transaction after the shared meters lock, so no close can commit until it ends. The
 * common case costs one single-row read: nothing was ever closed, or every event is at or after
 * the horizon (the highest mark of all). Otherwise the marks of the early events' customers are read.
 *
 * @example
 * const closed = yield* closedEventsScript(statements, merged.events)
 * closed.get('req_1') // 1738368000000 when req_1 is before its customer's mark
 */
export function* closedEventsScript(
  statements: StatementSet,
  events: readonly PreparedEvent[],
): SqlScript<ReadonlyMap<string, number>> {
  const { rows } = yield statements.closedPeriods.horizon()
  const raw = rows[0]?.closed_before
  if (raw === undefined || raw === null) return NONE_CLOSED
  const horizon = Number(raw)
  const early = events.filter((event) => event.timestamp < horizon)
  if (early.length === 0) return NONE_CLOSED
  return yield* closedOfEarly(statements, early)
}

// The closed ones of events before the horizon, by their customers' marks. Its own generator:
// the common case above keeps a small one.
function* closedOfEarly(
  statements: StatementSet,
  early: readonly PreparedEvent[],
): SqlScript<ReadonlyMap<string, number>> {
  const customers = [...new Set(early.map((event) => event.customer_id))]
  const marks = new Map<string, number>()
  for (const chunk of chunks(customers, statements.quirks.maxRowsPerStatement)) {
    const found = yield statements.closedPeriods.marks(chunk)
    for (const row of found.rows) marks.set(String(row.customer_id), Number(row.closed_before))
  }
  const closed = new Map<string, number>()
  for (const event of early) {
    const mark = marks.get(event.customer_id)
    if (mark !== undefined && event.timestamp < mark) closed.set(event.idempotency_key, mark)
  }
  return closed
}

// No event falls in a closed period: the common case, one empty answer for every append.
const NONE_CLOSED: ReadonlyMap<string, number> = new Map()
