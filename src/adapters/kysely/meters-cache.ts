import { BillingError, ErrorCode } from '../../core/errors.js'
import type { Meter } from '../../core/meters/types.js'
import type { LockMode, MeterStatements } from './meter-statements.js'
import { toMeter } from './row-mappers.js'
import type { SqlScript } from './sql-script.js'

/**
 * This process's copy of the meters, keyed by the store's `meters_version`. Every append reads the
 * version under the meters lock and reloads only when another transaction (in any process) created
 * a meter. The same array is handed out while the version holds, so compiled effects stay cached.
 *
 * @example
 * const cache = new MetersCache()
 * const meters = yield* cache.read(statements.meters, 'shared') // inside a transaction script
 */
export class MetersCache {
  #version: number | null = null
  #meters: readonly Meter[] = Object.freeze([])

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
   * const meters = yield* cache.read(statements.meters, 'shared')
   */
  *read(statements: MeterStatements, mode: LockMode): SqlScript<readonly Meter[]> {
    const lock = statements.lock(mode)
    if (lock !== null) yield lock
    const { rows } = yield statements.readVersion(mode)
    const raw = rows[0]?.meters_version
    if (raw === undefined || raw === null) {
      throw new BillingError(ErrorCode.STORAGE_ERROR, 'the kobometer schema is missing: run migrate() first')
    }
    const version = Number(raw)
    if (version !== this.#version) {
      const list = yield statements.list()
      this.#meters = Object.freeze(list.rows.map(toMeter))
      this.#version = version
    }
    return this.#meters
  }
}
