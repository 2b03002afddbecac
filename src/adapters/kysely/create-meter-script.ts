import type { EffectsFn } from '../../core/meters/meter-effects.js'
import type { Meter, RollupDelta } from '../../core/meters/types.js'
import { collectDeltas, writeDeltas, writeMinuteDeltas } from './rollup-write.js'
import { toStoredEvent } from './row-mappers.js'
import type { SqlScript } from './sql-script.js'
import type { StatementSet } from './statement-set.js'

/** Events read per backfill statement. */
const BACKFILL_CHUNK = 5000

/**
 * The meter-creation transaction: exclusive side of the meters lock (so no append is in flight),
 * refuse a taken code, insert the meter and bump the version (appends that follow reload meters),
 * then backfill its rollups from every stored event of its name, a chunk at a time in `seq` order.
 *
 * @example
 * const created = yield* createMeterScript(statements, meter, compileMeterEffects)
 */
export function* createMeterScript(
  statements: StatementSet,
  meter: Meter,
  effects: (meters: readonly Meter[]) => EffectsFn,
): SqlScript<boolean> {
  const lock = statements.meters.lock('exclusive')
  if (lock !== null) yield lock
  const { rows: version } = yield statements.meters.readVersion('exclusive')
  const { rows: taken } = yield statements.meters.get(meter.code)
  if (taken.length > 0) return false
  yield statements.meters.bumpVersion()
  yield statements.meters.insert(meter, Number(version[0]?.meters_version ?? 0) + 1)

  const effectsOf = effects([meter])
  // Where minute rollups are kept (the deferred merge), the backfill writes them too.
  const minutes = statements.quirks.deferredMerge !== null
  for (let after = 0; ; ) {
    const { rows } = yield statements.events.scanByName(meter.event_name, after, BACKFILL_CHUNK)
    const deltas: RollupDelta[] = []
    for (const row of rows) {
      const event = toStoredEvent(row)
      collectDeltas(deltas, effectsOf(event).deltas, event.timestamp, minutes)
      after = event.seq
    }
    yield* minutes ? writeMinuteDeltas(statements, deltas) : writeDeltas(statements, deltas)
    if (rows.length < BACKFILL_CHUNK) return true
  }
}
