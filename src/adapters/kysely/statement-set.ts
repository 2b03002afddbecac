import type { DialectQuirks } from './dialect-quirks.js'
import { EventStatements } from './event-statements.js'
import { MeterStatements } from './meter-statements.js'
import { RollupStatements } from './rollup-statements.js'

/** All of kobometer's SQL in one dialect, built once per storage. */
export interface StatementSet {
  readonly quirks: DialectQuirks
  readonly events: EventStatements
  readonly rollups: RollupStatements
  readonly meters: MeterStatements
}

/**
 * Builds the statements of one dialect.
 *
 * @example
 * const sql = statementSet(sqliteQuirks)
 * sql.meters.readVersion('shared').sql // 'SELECT meters_version FROM kobometer_state WHERE id = 1'
 */
export function statementSet(quirks: DialectQuirks): StatementSet {
  return Object.freeze({
    quirks,
    events: new EventStatements(quirks),
    rollups: new RollupStatements(quirks),
    meters: new MeterStatements(quirks),
  })
}
