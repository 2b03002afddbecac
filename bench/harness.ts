import type { LatencyStats, Measurement } from './measure.js'
import { formatNumber } from './report.js'

export type { LatencyOptions, LatencyStats, Measurement, ThroughputOptions } from './measure.js'
export { configure, measureLatency, measureThroughput } from './measure.js'

/** One row of the report. */
export interface Result {
  name: string
  value: number
  unit: string
  baseline?: number
  /** >= 1 always means "kobometer is at least as fast as the baseline" (see `compare`). */
  ratio?: number
  target?: string
  met?: boolean
}

/** Goal for a value, in the value's own unit: `{ min: 1_000_000 }` (ops/s) or `{ max: 250 }` (µs). */
export interface Target {
  min?: number
  max?: number
  /** Least acceptable ratio against the baseline (e.g. 0.5: at least half the raw driver's speed). */
  minRatio?: number
}

/** Passed to `setup`, `teardown` and every case. */
export interface BenchContext {
  /** True with `--quick`: measurements are already shortened; use it to shrink fixtures too. */
  quick: boolean
  /** Progress output; goes to stderr so `--json` stdout stays clean. */
  log: (message: string) => void
}

type Rows = Result | Result[]

export interface BenchCase<S> {
  name: string
  run: (state: S, ctx: BenchContext) => Rows | Promise<Rows>
}

export interface SuiteDefinition<S> {
  /** Matched by `--filter` (substring). */
  name: string
  setup?: (ctx: BenchContext) => S | Promise<S>
  /** Always runs after setup succeeded, even if a case throws. */
  teardown?: (state: S, ctx: BenchContext) => unknown
  cases: ReadonlyArray<BenchCase<S>>
}

/** A suite ready to run; the setup state type is hidden so suites of any state fit in one array. */
export interface Suite {
  readonly name: string
  run: (ctx: BenchContext) => Promise<Result[]>
}

/**
 * Declare a suite. `setup`'s return value is handed to every case and to `teardown`.
 * @example
 * export default defineSuite({
 *   name: 'pricing',
 *   setup: () => makeEvents(10_000),
 *   cases: [{ name: 'tiered', run: async (events) => compare('tiered', await measureThroughput(() => price(events))) }],
 * })
 */
export function defineSuite<S = undefined>(def: SuiteDefinition<S>): Suite {
  return {
    name: def.name,
    async run(ctx) {
      const state = def.setup ? await def.setup(ctx) : (undefined as S)
      const results: Result[] = []
      try {
        for (const c of def.cases) {
          ctx.log(`  ${def.name} › ${c.name}`)
          results.push(...[await c.run(state, ctx)].flat())
        }
      } finally {
        await def.teardown?.(state, ctx)
      }
      return results
    },
  }
}

const LOWER_IS_BETTER = new Set(['ns', 'µs', 'us', 'ms', 's', 'B', 'bytes', 'KB', 'MB', 'GB'])

/**
 * True when smaller values are better for this measurement (latencies, sizes).
 * @example isLowerBetter({ value: 12, unit: 'µs' }) // true
 */
export function isLowerBetter(m: Measurement): boolean {
  return m.better ? m.better === 'lower' : LOWER_IS_BETTER.has(m.unit)
}

/**
 * Turn one latency statistic into a Measurement in µs, ready for `compare`.
 * @example compare('insert p99', pickLatency(kobo, 'p99'), pickLatency(base, 'p99'), { max: 250 })
 */
export function pickLatency(stats: LatencyStats, stat: 'p50' | 'p99' | 'mean'): Measurement {
  return { value: stats[stat], unit: 'µs' }
}

/**
 * Build a result row. Ratio convention (so ratio >= 1 always means kobometer is at least as fast):
 * - higher-is-better units (throughput, e.g. ops/s): ratio = kobometer / baseline
 * - lower-is-better units (latency µs/ms, sizes):    ratio = baseline / kobometer
 * `met` is only set when a target is given; it is checked against the kobometer value.
 * @example compare('price 1k events', kobo, base, { min: 1_000_000 })
 */
export function compare(
  name: string,
  kobometer: Measurement,
  baseline?: Measurement,
  target?: Target,
): Result {
  const row: Result = { name, value: kobometer.value, unit: kobometer.unit }
  if (baseline) {
    if (baseline.unit !== kobometer.unit) {
      throw new Error(`compare(${name}): unit mismatch ${kobometer.unit} vs ${baseline.unit}`)
    }
    row.baseline = baseline.value
    const ratio = isLowerBetter(kobometer)
      ? baseline.value / kobometer.value
      : kobometer.value / baseline.value
    if (Number.isFinite(ratio)) row.ratio = ratio
  }
  if (target && (target.min !== undefined || target.max !== undefined || target.minRatio !== undefined)) {
    const parts: string[] = []
    if (target.min !== undefined) parts.push(`>= ${formatNumber(target.min)}`)
    if (target.max !== undefined) parts.push(`<= ${formatNumber(target.max)}`)
    if (target.minRatio !== undefined) parts.push(`ratio >= ${target.minRatio}`)
    row.target = parts.join(', ')
    row.met =
      (target.min === undefined || kobometer.value >= target.min) &&
      (target.max === undefined || kobometer.value <= target.max) &&
      (target.minRatio === undefined || (row.ratio !== undefined && row.ratio >= target.minRatio))
  }
  return row
}
