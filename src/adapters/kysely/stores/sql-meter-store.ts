import { emptyRollup, RollupAccumulator } from '../../../core/meters/rollup.js'
import type { Meter, RollupState } from '../../../core/meters/types.js'
import { Decimal } from '../../../core/money/decimal.js'
import type {
  CustomersRollupQuery,
  CustomerUsage,
  EffectsOf,
  MeterStore,
  RollupQuery,
  TopCustomersQuery,
  UsagePoint,
  UsageSeriesQuery,
} from '../../../core/ports/index.js'
import { createMeterScript } from '../create-meter-script.js'
import { settleMerge } from '../deferred-merge.js'
import type { MetersCache } from '../meters-cache.js'
import { toMeter, toRollupState } from '../row-mappers.js'
import type { SqlStoreParts } from './sql-store-parts.js'

/**
 * The SQL meters: inserting one backfills its rollups under the exclusive side of the meters lock;
 * rollup reads fold the hourly rows in the database (and merge a unique-count meter's values),
 * after merging the unmerged tail where the merge is deferred.
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
    await settleMerge(this.#parts)
    return this.#readMerged(query)
  }

  // `readRollups` once the tail is merged (a page of customers merges it once for all).
  async #readMerged(query: RollupQuery): Promise<RollupState> {
    const { runner, sql } = this.#parts
    // Meters never change, so a known meter's rows are read for its aggregation's column alone.
    const aggregation = query.aggregation ?? this.#meters.known(query.meter)?.aggregation
    const minutes = query.grain === 'minute'
    const totals = minutes ? sql.minuteRollupTotals : sql.rollupTotals
    const { rows } = await runner.read(totals.total(query, aggregation))
    const total = rows[0]
    if (total === undefined || total.count === null || total.count === undefined) return emptyRollup()
    const acc = new RollupAccumulator().add(toRollupState({ ...total, latest_value: null }))
    if (total.latest_ts !== null && total.latest_ts !== undefined) {
      const latest = await runner.read(totals.latestAt(query, Number(total.latest_ts)))
      for (const row of latest.rows) acc.add(toRollupState({ ...row, count: 0 }))
    }
    // Only unique-count meters record values (by hour); skip the read when the meter is known.
    if (!minutes && (aggregation === undefined || aggregation === 'unique_count')) {
      const values = await runner.read(sql.rollups.readValues(query))
      if (values.rows.length > 0)
        acc.add({ ...emptyRollup(), values: values.rows.map((r) => String(r.value)) })
    }
    return acc.result()
  }

  async readRollupsOfCustomers(query: CustomersRollupQuery): Promise<RollupState[]> {
    const { customer_ids, ...window } = query
    const aggregation = query.aggregation ?? this.#meters.known(query.meter)?.aggregation
    if (customer_ids.length === 0) return []
    await settleMerge(this.#parts)
    // Unique counts and latest values need more than one aggregate row: read them one by one.
    if (aggregation === undefined || aggregation === 'unique_count' || aggregation === 'latest')
      return Promise.all(customer_ids.map((customer_id) => this.#readMerged({ ...window, customer_id })))
    const { rows } = await this.#parts.runner.read(this.#parts.sql.rollupTotals.totalsOf(query, aggregation))
    const states = new Map<string, RollupState>()
    for (const row of rows) {
      const state = new RollupAccumulator().add(toRollupState({ ...row, latest_value: null })).result()
      states.set(String(row.customer_id), state)
    }
    return customer_ids.map((id) => states.get(id) ?? emptyRollup())
  }

  async usageSeries(query: UsageSeriesQuery): Promise<UsagePoint[]> {
    await settleMerge(this.#parts)
    const { rows } = await this.#parts.runner.read(this.#parts.sql.usage.series(query))
    return rows.map((row) => ({ hour: Number(row.bucket), quantity: plainDecimal(row.quantity) }))
  }

  async topCustomers(query: TopCustomersQuery): Promise<CustomerUsage[]> {
    await settleMerge(this.#parts)
    const { rows } = await this.#parts.runner.read(this.#parts.sql.usage.top(query))
    return rows.map((row) => ({ customer_id: String(row.customer_id), quantity: plainDecimal(row.quantity) }))
  }
}

// PostgreSQL and MySQL pad aggregated decimals with trailing zeros; NULL is no value, so zero.
const plainDecimal = (value: unknown): string =>
  value === null || value === undefined ? '0' : new Decimal(String(value)).toFixed()
