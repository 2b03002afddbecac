import { randomInt } from 'node:crypto'
import type { LedgerEvent } from '../../core/entitlements/allowance-ledger.js'
import type { PreparedEvent } from '../../core/events/types.js'
import type { EffectsFn, EventEffects } from '../../core/meters/meter-effects.js'
import type { RollupDelta } from '../../core/meters/types.js'
import type { AppendOutcome } from '../../core/ports/index.js'
import { closedEventsScript } from './closed-periods.js'
import { writeOrDeferDeltas } from './deferred-merge.js'
import { type AppendRequest, mergeRequests } from './merged-requests.js'
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

  const compiled = new Map<AppendRequest['effects'], EffectsFn>()
  const effectsOf = (index: number): EventEffects => {
    const factory = merged.effectsAt(index)
    let fn = compiled.get(factory)
    if (fn === undefined) {
      fn = factory(meters)
      compiled.set(factory, fn)
    }
    return fn(merged.events[index]!)
  }
  const effects: Array<EventEffects | undefined> = merged.events.map((event, index) =>
    closed.has(event.idempotency_key) ? undefined : effectsOf(index),
  )
  const weighing = yield* weighIfLimited(statements, metersCache.limited(), merged.events, effects)
  const setAside = weighing === null ? [...closed.keys()] : [...closed.keys(), ...weighing.refused.keys()]
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
  const outcomes = merged.events.map((event, index): AppendOutcome => {
    const storedHash = stored.get(event.idempotency_key)
    if (storedHash !== undefined) {
      return { status: storedHash === event.payload_hash ? 'duplicate' : 'conflict', stored_hash: storedHash }
    }
    const closedBefore = closed.get(event.idempotency_key)
    if (closedBefore !== undefined) return { status: 'closed', closed_before: closedBefore }
    const refusal = weighing?.refused.get(event.idempotency_key)
    if (refusal !== undefined) return { status: 'refused', refusal }
    const own = effects[index]!
    collectDeltas(deltas, own.deltas, event.timestamp, minutes)
    if (weighing !== null) inserted.add(event.idempotency_key)
    accepted++
    return { status: 'accepted', warnings: own.warnings }
  })
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
 * Weighs the events that count toward a limited meter or name a reservation, or answers null
 * (nothing to weigh: the append costs no more than without limits).
 */
function* weighIfLimited(
  statements: StatementSet,
  limited: ReadonlySet<string>,
  events: readonly PreparedEvent[],
  effects: ReadonlyArray<EventEffects | undefined>,
): SqlScript<Weighing | null> {
  const candidates: LedgerEvent[] = []
  let now = 0
  events.forEach((event, index) => {
    const own = effects[index]
    if (own === undefined) return
    const deltas = limited.size === 0 ? [] : own.deltas.filter((d) => limited.has(d.meter))
    if (deltas.length === 0 && event.reservation_id === undefined) return
    const candidate: LedgerEvent = {
      idempotency_key: event.idempotency_key,
      customer_id: event.customer_id,
      timestamp: event.timestamp,
      deltas,
    }
    if (event.reservation_id !== undefined) candidate.reservation_id = event.reservation_id
    candidates.push(candidate)
    if (event.received_at > now) now = event.received_at
  })
  if (candidates.length === 0) return null
  return yield* weighScript(statements, candidates, now)
}

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
): SqlScript<Map<string, string>> {
  const quirks = statements.quirks
  const mode = quirks.insertedRows
  const ordered = quirks.orderInsertsByKey
    ? [...events].sort((a, b) => (a.idempotency_key < b.idempotency_key ? -1 : 1))
    : events
  const token = mode === 'batch-token' ? randomInt(1, 2 ** 47) : null
  const missed: string[] = []
  let insertedButMissed = 0
  if (mode === 'row-count') {
    for (const event of ordered) {
      const inserted = yield statements.events.insertOne(event)
      if (inserted.affected === 0) missed.push(event.idempotency_key)
    }
  }
  for (const chunk of mode === 'row-count' ? [] : chunks(ordered, quirks.maxRowsPerStatement)) {
    if (quirks.partitionedEvents !== null) {
      missed.push(...(yield* insertKeysThenEvents(statements, chunk)))
      continue
    }
    const inserted = yield statements.events.insert(chunk, token)
    if (mode === 'returning') {
      if (inserted.rows.length === chunk.length) continue
      const returned = new Set(inserted.rows.map((row) => String(row.idempotency_key)))
      for (const e of chunk) if (!returned.has(e.idempotency_key)) missed.push(e.idempotency_key)
    } else if (inserted.affected < chunk.length) {
      // Which rows went in is unknown: look them all up, this transaction's carry its token.
      for (const e of chunk) missed.push(e.idempotency_key)
      insertedButMissed += inserted.affected
    }
  }

  const stored = new Map<string, string>()
  let found = 0
  let mine = 0
  const probed = new Set(probe)
  for (const keys of chunks(
    probe.length === 0 ? missed : [...missed, ...probe],
    quirks.maxRowsPerStatement,
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
