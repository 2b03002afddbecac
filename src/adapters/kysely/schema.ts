import type { TableNames } from './dialect-quirks.js'

/**
 * kobometer's table names: prefixed, so they never collide with the host's own tables.
 *
 * @example
 * TABLE.events // 'kobometer_events'
 */
export const TABLE = Object.freeze({
  events: 'kobometer_events',
  meters: 'kobometer_meters',
  state: 'kobometer_state',
  rollups: 'kobometer_rollups',
  rollupValues: 'kobometer_rollup_values',
  migration: 'kobometer_migration',
  migrationLock: 'kobometer_migration_lock',
})

/** The one secondary index on events: serves `listEvents` and `readEdgeEvents`. */
export const EVENTS_BY_CUSTOMER_INDEX = 'kobometer_events_customer_time'

/**
 * The table names as SQL writes them, each passed through `qualify` (e.g. to prefix a schema).
 *
 * @example
 * tableNames((name) => `"billing".${name}`).events // '"billing".kobometer_events'
 */
export function tableNames(qualify: (name: string) => string = (name) => name): TableNames {
  return Object.freeze({
    events: qualify(TABLE.events),
    meters: qualify(TABLE.meters),
    state: qualify(TABLE.state),
    rollups: qualify(TABLE.rollups),
    rollupValues: qualify(TABLE.rollupValues),
  })
}
