import { AllowanceLedger, type LedgerEvent } from '../../core/entitlements/allowance-ledger.js'
import type { AllowanceRecord, Refusal, ReservationRecord } from '../../core/ports/index.js'
import { heldIfDue, lockAllowanceCustomers } from './entitlement-scripts.js'
import { allowanceOf } from './entitlement-statements.js'
import { addNotificationsScript } from './notification-scripts.js'
import { chunks, type Row, type SqlScript } from './sql-script.js'
import type { StatementSet } from './statement-set.js'

/**
 * What weighing decided: the refused events, and how to write back what the others changed (it
 * answers the allowances as written).
 */
export interface Weighing {
  readonly refused: ReadonlyMap<string, Refusal>
  /** The keys of the events weighed (counted or refused). */
  readonly weighed: ReadonlySet<string>
  /**
   * Writes the allowances and reservations as the events that were stored leave them. When a
   * weighed event turned out stored already (a concurrent transaction committed it after the
   * probe), the ledger is replayed over the stored ones only, so nothing counts twice.
   */
  finish(inserted: ReadonlySet<string>): SqlScript<AllowanceRecord[]>
}

const docOf = <T>(row: { doc?: unknown }): T => JSON.parse(String(row.doc)) as T

/**
 * Weighs, inside the append transaction, the events that count toward a limited meter or settle a
 * reservation: locks their customers, then the allowances of the periods the events fall in (both in
 * key order, so concurrent appends never deadlock), frees expired reservations, skips events stored
 * before, and lets the ledger refuse what would pass an enforced limit. Concurrent appends and reserves on one allowance are serialized by its row lock,
 * which is what makes N processes racing on one limit accept exactly the limit.
 *
 * @example
 * const weighing = yield* weighScript(statements, candidates, now)
 * // …insert the events not in weighing.refused…
 * yield* weighing.finish(insertedKeys)
 */
export function* weighScript(
  statements: StatementSet,
  candidates: readonly LedgerEvent[],
  now: number,
): SqlScript<Weighing> {
  const sql = statements.entitlements
  const reserved = new Set<string>()
  for (const event of candidates) if (event.reservation_id !== undefined) reserved.add(event.reservation_id)
  const ids = [...reserved]
  const named: ReservationRecord[] = []
  for (const chunk of chunks(ids, statements.quirks.maxRowsPerStatement)) {
    const { rows } = yield sql.reservations(chunk)
    for (const row of rows) named.push(docOf<ReservationRecord>(row))
  }
  // The meters weighed for each customer (a few each), and the reservations' own.
  const weighedMeters = new Map<string, string[]>()
  const weigh = (customer: string, meter: string) => {
    const meters = weighedMeters.get(customer)
    if (meters === undefined) weighedMeters.set(customer, [meter])
    else if (!meters.includes(meter)) meters.push(meter)
  }
  for (const event of candidates) for (const d of event.deltas) weigh(event.customer_id, d.meter)
  for (const r of named) weigh(r.customer_id, r.meter)
  const customers = [...weighedMeters.keys()].sort()

  // The stored rows are kept as read: if the ledger has to be replayed, it starts from them. Only
  // the periods the events and reservations fall in are read, so an append costs the same for a
  // customer with years of past periods as for a new one. Where writers run concurrently, the
  // customers' own lock comes first (an open of any of their periods holds it until it commits, and
  // the read after it sees what the open wrote), then the rows read, locked in key order.
  const rowLocks = statements.quirks.lockingReadSuffix !== ''
  const { from, to } = weighedWindow(candidates, named)
  const allowanceRows: Row[] = []
  const allowances: AllowanceRecord[] = []
  if (rowLocks) yield* lockAllowanceCustomers(statements, customers)
  for (const chunk of chunks(customers, statements.quirks.maxRowsPerStatement)) {
    for (const row of (yield sql.allowancesOverlapping(chunk, from, to, rowLocks)).rows) {
      const allowance = allowanceOf(row)!
      if (weighedMeters.get(allowance.customer_id)?.includes(allowance.meter) !== true) continue
      allowanceRows.push(row)
      allowances.push(allowance)
    }
  }
  // Read again under the allowance locks: a reservation's state only changes under its allowance's.
  const reservationDocs: string[] = []
  for (const chunk of chunks(ids, statements.quirks.maxRowsPerStatement)) {
    const { rows } = yield sql.reservations(chunk)
    for (const row of rows) reservationDocs.push(String(row.doc))
  }
  const reservations = reservationDocs.map((doc) => JSON.parse(doc) as ReservationRecord)
  const held: ReservationRecord[] = []
  for (const a of allowances) {
    if (a.next_expiry !== null && a.next_expiry <= now) held.push(...(yield* heldIfDue(statements, a, now)))
  }
  // Stored keys are looked up first only when an event may be refused (an enforced allowance or a
  // reservation): a replay must stay a duplicate, not become a refusal. Otherwise every event is
  // counted now and `finish` replays the ledger over those that were really inserted.
  const stored = new Set<string>()
  const refusable = ids.length > 0 || allowances.some((a) => a.enforce)
  for (const chunk of refusable
    ? chunks(
        candidates.map((e) => e.idempotency_key),
        statements.quirks.maxRowsPerStatement,
      )
    : []) {
    const { rows } = yield statements.events.storedHashes(chunk)
    for (const row of rows) stored.add(String(row.idempotency_key))
  }

  const heldAsRead = held.length === 0 ? held : structuredClone(held)
  const ledger = new AllowanceLedger(allowances, reservations, now, held)
  const refused = new Map<string, Refusal>()
  const counted: LedgerEvent[] = []
  for (const event of candidates) {
    if (stored.has(event.idempotency_key)) continue
    const refusal = ledger.admit(event, true)
    if (refusal === null) counted.push(event)
    else refused.set(event.idempotency_key, refusal)
  }

  return {
    refused,
    weighed: new Set(candidates.map((e) => e.idempotency_key)),
    *finish(inserted) {
      let final = ledger
      if (counted.some((e) => !inserted.has(e.idempotency_key))) {
        final = new AllowanceLedger(
          allowanceRows.map((row) => allowanceOf(row)!),
          reservationDocs.map((doc) => JSON.parse(doc) as ReservationRecord),
          now,
          heldAsRead,
        )
        for (const event of counted) if (inserted.has(event.idempotency_key)) final.admit(event, false)
      }
      // Evaluated before writing: the marks of thresholds that fire are written with the allowance.
      const notes = final.notices()
      // The ledger's records are this transaction's own copies: written with the next revision.
      const written = [...final.changedAllowances]
      for (const a of written) a.revision++
      for (const op of sql.writeAllowances(written, (a) => final.onlyCounted(a))) yield op
      for (const r of final.changedReservations) yield sql.updateReservation(r)
      if (notes.length > 0) yield* addNotificationsScript(statements, notes)
      return written
    },
  }
}

/**
 * The instants an append's allowances must cover: every weighed event's time and the first instant
 * of every named reservation's period. Only allowances whose period overlaps it can be weighed.
 */
function weighedWindow(
  candidates: readonly LedgerEvent[],
  reservations: readonly ReservationRecord[],
): { from: number; to: number } {
  let from = Number.POSITIVE_INFINITY
  let to = Number.NEGATIVE_INFINITY
  const cover = (at: number) => {
    if (at < from) from = at
    if (at > to) to = at
  }
  for (const event of candidates) cover(event.timestamp)
  for (const r of reservations) cover(r.period_start)
  return { from, to }
}
