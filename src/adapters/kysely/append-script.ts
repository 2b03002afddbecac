import { randomInt } from 'node:crypto'
import type { LedgerEvent } from '../../core/entitlements/allowance-ledger.js'
import type { PreparedEvent } from '../../core/events/types.js'
import type { EffectsFn, EventEffects } from '../../core/meters/meter-effects.js'
import type { Meter, RollupDelta } from '../../core/meters/types.js'
import type { AppendOutcome } from '../../core/ports/index.js'
import { closedEventsScript } from './closed-periods.js'
import { writeOrDeferDeltas } from './deferred-merge.js'
import { type AppendRequest, type MergedRequests, mergeRequests } from './merged-requests.js'
import type { MetersCache } from './meters-cache.js'
import { collectDeltas } from './rollup-write.js'
import { chunks, type SqlScript } from './sql-script.js'
import type { StatementSet } from './statement-set.js'
import { storageInvariant } from './storage-errors.js'
import { type Weighing, weighScript } from './weigh-script.js'

/**
 * The append transaction, for one call or for several merged by group commit: shared meters lock
 * and version, set aside events before their customer's closed mark, insert the others skipping
 * stored keys, classify the rest against their stored hash, then apply the accepted events' deltas
 * under the meters current in this transaction (or record them for the merge, where it is deferred). Keys repeated across merged calls go to the store
 * once; the repeats are classified against what ends up stored. A set-aside event whose key is
 * stored is still a duplicate or conflict; only a new key is `closed`.
 *
 * @example
 * const [outcomes] = yield* appendScript(statements, metersCache, [{ events, effects: compileMeterEffects }])
 */
export function* appendScript(
  statements: StatementSet,
  metersCache: MetersCache,
  requests: readonly AppendRequest[],
  shard?: number,
): SqlScript<AppendOutcome[][]> {
  const meters = yield* metersCache.read(statements, 'shared')
  const merged = mergeRequests(requests)
  // Checked before inserting: a closed event must never go in, even for the rest of the transaction.
  const closed = yield* closedEventsScript(statements, merged.events)

  const effects = effectsUnder(meters, merged, closed)
  const toWeigh = weighCandidates(metersCache.limited(), merged.events, effects)
  const weighing = toWeigh === null ? null : yield* weighScript(statements, toWeigh.events, toWeigh.now)
  const setAside = setAsideKeys(closed, weighing)
  const open =
    setAside.length === 0
      ? merged.events
      : merged.events.filter(
          (e) => !closed.has(e.idempotency_key) && !weighing?.refused.has(e.idempotency_key),
        )
  const stored = yield* insertEvents(statements, open, setAside)

  // Where the merge is deferred it keeps minute rollups too: the recorded deltas are by minute.
  const minutes = statements.quirks.deferredMerge !== null
  const deltas: RollupDelta[] = []
  const inserted = new Set<string>()
  let accepted = 0
  const outcomes: AppendOutcome[] = new Array(merged.events.length)
  for (let index = 0; index < merged.events.length; index++) {
    const event = merged.events[index]!
    const storedHash = stored.get(event.idempotency_key)
    const closedBefore = closed.get(event.idempotency_key)
    const refusal = weighing?.refused.get(event.idempotency_key)
    if (storedHash !== undefined) {
      outcomes[index] = {
        status: storedHash === event.payload_hash ? 'duplicate' : 'conflict',
        stored_hash: storedHash,
      }
    } else if (closedBefore !== undefined) {
      outcomes[index] = { status: 'closed', closed_before: closedBefore }
    } else if (refusal !== undefined) {
      outcomes[index] = { status: 'refused', refusal }
    } else {
      const own = effects[index]!
      collectDeltas(deltas, own.deltas, event.timestamp, minutes)
      if (weighing !== null) inserted.add(event.idempotency_key)
      accepted++
      outcomes[index] = { status: 'accepted', warnings: own.warnings }
    }
  }
  if (weighing !== null) {
    const allowances = yield* weighing.finish(inserted)
    if (allowances.length > 0) {
      merged.events.forEach((event, index) => {
        const outcome = outcomes[index]!
        if (!weighing.weighed.has(event.idempotency_key)) return
        if (outcome.status === 'accepted' || outcome.status === 'refused') outcome.allowances = allowances
      })
    }
  }
  yield* writeOrDeferDeltas(statements, deltas, accepted > 0, shard)
  return merged.resolve(outcomes)
}

/**
 * Each event's effects under `meters`, none for a closed event; each call's effects factory is
 * compiled once, when its first open event needs it.
 */
function effectsUnder(
  meters: readonly Meter[],
  merged: MergedRequests,
  closed: ReadonlyMap<string, number>,
): Array<EventEffects | undefined> {
  const events = merged.events
  const effects: Array<EventEffects | undefined> = new Array(events.length)
  const compiled = new Map<AppendRequest['effects'], EffectsFn>()
  for (let index = 0; index < events.length; index++) {
    const event = events[index]!
    if (closed.has(event.idempotency_key)) {
      effects[index] = undefined
      continue
    }
    const factory = merged.effectsAt(index)
    let fn = compiled.get(factory)
    if (fn === undefined) {
      fn = factory(meters)
      compiled.set(factory, fn)
    }
    effects[index] = fn(event)
  }
  return effects
}

// The keys of events not to insert: those before a closed mark, and those weighing refused.
function setAsideKeys(closed: ReadonlyMap<string, number>, weighing: Weighing | null): readonly string[] {
  const refused = weighing?.refused
  if (closed.size === 0 && (refused === undefined || refused.size === 0)) return NO_KEYS
  return refused === undefined ? [...closed.keys()] : [...closed.keys(), ...refused.keys()]
}

const NO_KEYS: readonly string[] = Object.freeze([])
const NONE_STORED: ReadonlyMap<string, string> = new Map()

/**
 * The events to weigh: those that count toward a limited meter or name a reservation, with the
 * latest time one was received; null when there are none (the append costs no more than without
 * limits).
 */
function weighCandidates(
  limited: ReadonlySet<string>,
  events: readonly PreparedEvent[],
  effects: ReadonlyArray<EventEffects | undefined>,
): { events: LedgerEvent[]; now: number } | null {
  let candidates: LedgerEvent[] | null = null
  let now = 0
  for (let index = 0; index < events.length; index++) {
    const own = effects[index]
    if (own === undefined) continue
    const event = events[index]!
    const deltas = limited.size === 0 ? NO_DELTAS : own.deltas.filter((d) => limited.has(d.meter))
    if (deltas.length === 0 && event.reservation_id === undefined) continue
    const candidate: LedgerEvent = {
      idempotency_key: event.idempotency_key,
      customer_id: event.customer_id,
      timestamp: event.timestamp,
      deltas,
    }
    if (event.reservation_id !== undefined) candidate.reservation_id = event.reservation_id
    candidates ??= []
    candidates.push(candidate)
    if (event.received_at > now) now = event.received_at
  }
  return candidates === null ? null : { events: candidates, now }
}

const NO_DELTAS: readonly RollupDelta[] = Object.freeze([])

/**
 * Inserts events whose key is new and returns the stored payload hash of every key that was
 * already there (stored before, or by a concurrent transaction that committed first). Keys that did
 * not go in are looked up together once all rows are written, along with the `probe` keys (not
 * inserted, maybe stored), which may or may not be found.
 */
function* insertEvents(
  statements: StatementSet,
  events: readonly PreparedEvent[],
  probe: readonly string[],
): SqlScript<ReadonlyMap<string, string>> {
  const quirks = statements.quirks
  const ordered = quirks.orderInsertsByKey
    ? [...events].sort((a, b) => (a.idempotency_key < b.idempotency_key ? -1 : 1))
    : events
  const token = quirks.insertedRows === 'batch-token' ? randomInt(1, 2 ** 47) : null
  const inserted =
    quirks.insertedRows === 'row-count'
      ? yield* insertOneByOne(statements, ordered)
      : yield* insertInChunks(statements, ordered, token)
  // Every key went in and none was set aside: no stored hash to look up.
  if (inserted.missed.length === 0 && probe.length === 0) return NONE_STORED
  return yield* storedHashesOf(statements, inserted, probe, token)
}

/** Keys that did not go in, and how many of them did go in after all (this transaction's token). */
interface Inserted {
  readonly missed: readonly string[]
  readonly insertedButMissed: number
}

// One statement per event: its changed-row count tells whether it went in.
function* insertOneByOne(statements: StatementSet, events: readonly PreparedEvent[]): SqlScript<Inserted> {
  const missed: string[] = []
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!
    const inserted = yield statements.events.insertOne(event)
    if (inserted.affected === 0) missed.push(event.idempotency_key)
  }
  return { missed, insertedButMissed: 0 }
}

function* insertInChunks(
  statements: StatementSet,
  events: readonly PreparedEvent[],
  token: number | null,
): SqlScript<Inserted> {
  const quirks = statements.quirks
  const missed: string[] = []
  let insertedButMissed = 0
  for (const chunk of chunks(events, quirks.maxRowsPerStatement)) {
    if (quirks.partitionedEvents !== null) {
      missed.push(...(yield* insertKeysThenEvents(statements, chunk)))
      continue
    }
    const inserted = yield statements.events.insert(chunk, token)
    if (quirks.insertedRows === 'returning') {
      if (inserted.rows.length === chunk.length) continue
      const returned = new Set(inserted.rows.map((row) => String(row.idempotency_key)))
      for (const e of chunk) if (!returned.has(e.idempotency_key)) missed.push(e.idempotency_key)
    } else if (inserted.affected < chunk.length) {
      // Which rows went in is unknown: look them all up, this transaction's carry its token.
      for (const e of chunk) missed.push(e.idempotency_key)
      insertedButMissed += inserted.affected
    }
  }
  return { missed, insertedButMissed }
}

// The stored hash of each key that did not go in, and of each probed key found stored; checks
// that every key that did not go in was found.
function* storedHashesOf(
  statements: StatementSet,
  { missed, insertedButMissed }: Inserted,
  probe: readonly string[],
  token: number | null,
): SqlScript<ReadonlyMap<string, string>> {
  const stored = new Map<string, string>()
  let found = 0
  let mine = 0
  const probed = new Set(probe)
  for (const keys of chunks(
    probe.length === 0 ? missed : [...missed, ...probe],
    statements.quirks.maxRowsPerStatement,
  )) {
    const { rows } = yield statements.events.storedHashes(keys)
    for (const row of rows) {
      const key = String(row.idempotency_key)
      if (!probed.has(key)) found++
      if (token !== null && Number(row.batch_token) === token) mine++
      else stored.set(key, String(row.payload_hash))
    }
  }
  storageInvariant(
    found === missed.length && mine === insertedButMissed,
    'an idempotency key was neither inserted nor found stored',
  )
  return stored
}

/**
 * Where the events are partitioned: stores the chunk's keys (skipping stored ones), then only the
 * events whose key went in; answers the keys that did not. Keys in key order, as events were, so
 * concurrent appends take the keys' unique-index locks in one order.
 */
function* insertKeysThenEvents(
  statements: StatementSet,
  chunk: readonly PreparedEvent[],
): SqlScript<string[]> {
  const { rows } = yield statements.events.insertKeys(chunk)
  const missed: string[] = []
  let fresh = chunk
  if (rows.length < chunk.length) {
    const returned = new Set(rows.map((row) => String(row.idempotency_key)))
    fresh = chunk.filter((e) => returned.has(e.idempotency_key))
    for (const e of chunk) if (!returned.has(e.idempotency_key)) missed.push(e.idempotency_key)
  }
  if (fresh.length > 0) yield statements.events.insertLog(fresh)
  return missed
}
