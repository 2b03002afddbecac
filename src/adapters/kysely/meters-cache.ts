import { BillingError, ErrorCode } from '../../core/errors.js'
import type { Meter } from '../../core/meters/types.js'
import type { LockMode } from './meter-statements.js'
import { toMeter } from './row-mappers.js'
import type { SqlScript } from './sql-script.js'
import type { StatementSet } from './statement-set.js'

/**
 * This process's copy of the meters, keyed by the store's `meters_version`. Every append reads the
 * version under the meters lock and reloads only when another transaction (in any process) created
 * a meter. The same array is handed out while the version holds, so compiled effects stay cached.
 *
 * @example
 * const cache = new MetersCache()
 * const meters = yield* cache.read(statements, 'shared') // inside a transaction script
 */
export class MetersCache {
  #version: number | null = null
  #meters: readonly Meter[] = Object.freeze([])
  #limited: ReadonlySet<string> = new Set()

  /**
   * The meters with open allowances as of the last `read` in this process: current inside the
   * transaction that read (marking a meter limited bumps the version).
   *
   * @example
   * const meters = yield* cache.read(statements, 'shared')
   * cache.limited().has('api_calls') // true once an allowance of api_calls is open
   */
  limited(): ReadonlySet<string> {
    return this.#limited
  }

  /**
   * A meter this process has seen, by code. Meters never change once created, so a hit is current.
   *
   * @example
   * cache.known('api_calls')?.aggregation // 'count'
   */
  known(code: string): Meter | undefined {
    return this.#meters.find((meter) => meter.code === code)
  }

  /**
   * Takes the given side of the meters lock and returns the meters current inside the transaction.
   *
   * @example
   * const meters = yield* cache.read(statements, 'shared')
   */
  *read(statements: StatementSet, mode: LockMode): SqlScript<readonly Meter[]> {
    const lock = statements.meters.lock(mode)
    if (lock !== null) yield lock
    const { rows } = yield statements.meters.readVersion(mode)
    const raw = rows[0]?.meters_version
    if (raw === undefined || raw === null) {
      throw new BillingError(ErrorCode.STORAGE_ERROR, 'the kobometer schema is missing: run migrate() first')
    }
    const version = Number(raw)
    if (version !== this.#version) {
      const list = yield statements.meters.list()
      const limited = yield statements.entitlements.limitedMeters()
      this.#meters = Object.freeze(list.rows.map(toMeter))
      this.#limited = new Set(limited.rows.map((row) => String(row.meter)))
      this.#version = version
    }
    return this.#meters
  }
}
