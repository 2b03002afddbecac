import { emptyRollup, RollupAccumulator } from '../../../core/meters/rollup.js'
import type { Meter, RollupState } from '../../../core/meters/types.js'
import type { EffectsOf, MeterStore, RollupQuery } from '../../../core/ports/index.js'
import { createMeterScript } from '../create-meter-script.js'
import type { MetersCache } from '../meters-cache.js'
import { toMeter, toRollupState } from '../row-mappers.js'
import type { SqlStoreParts } from './sql-store-parts.js'

/**
 * The SQL meters: inserting one backfills its rollups under the exclusive side of the meters lock;
 * rollup reads merge the hourly rows (and a unique-count meter's values) in one pass.
 *
 * @example
 * const state = await new SqlMeterStore(parts, meters).readRollups({ meter: 'calls', customer_id: 'c_1', fromBucket: 0, toBucket: 24 })
 */
export class SqlMeterStore implements MeterStore {
  readonly #parts: SqlStoreParts
  readonly #meters: MetersCache

  constructor(parts: SqlStoreParts, meters: MetersCache) {
    this.#parts = parts
    this.#meters = meters
  }

  insert(meter: Meter, effects: EffectsOf): Promise<boolean> {
    return this.#parts.runner.write(() => createMeterScript(this.#parts.sql, meter, effects))
  }

  async get(code: string): Promise<Meter | null> {
    const { rows } = await this.#parts.runner.read(this.#parts.sql.meters.get(code))
    return rows[0] === undefined ? null : toMeter(rows[0])
  }

  async list(): Promise<Meter[]> {
    const { rows } = await this.#parts.runner.read(this.#parts.sql.meters.list())
    return rows.map(toMeter)
  }

  async readRollups(query: RollupQuery): Promise<RollupState> {
    const { runner, sql } = this.#parts
    const { rows } = await runner.read(sql.rollups.read(query))
    if (rows.length === 0) return emptyRollup()
    const acc = new RollupAccumulator()
    for (const row of rows) acc.add(toRollupState(row))
    // Only unique-count meters record values; skip the read when this process knows the meter.
    const known = this.#meters.known(query.meter)
    if (known === undefined || known.aggregation === 'unique_count') {
      const values = await runner.read(sql.rollups.readValues(query))
      if (values.rows.length > 0)
        acc.add({ ...emptyRollup(), values: values.rows.map((r) => String(r.value)) })
    }
    return acc.result()
  }
}
