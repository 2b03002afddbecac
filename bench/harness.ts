import type { LatencyStats } from './latency.js'
import type { Measurement } from './measure.js'
import { formatNumber } from './report.js'

export { type ConcurrentOptions, measureConcurrent } from './concurrent.js'
export { type LatencyOptions, type LatencyStats, measureLatencies } from './latency.js'
export { type Measurement, measureThroughputs, type ThroughputOptions } from './measure.js'
export { configure } from './settings.js'

/** One row of the report. Every value is a median over `rounds` rounds; ratios compare medians. */
export interface Result {
  name: string
  value: number
  unit: string
  /** Lowest and highest round of `value` (absent for a figure taken once). */
  min?: number
  max?: number
  /** Rounds behind `value`; absent means taken once. */
  rounds?: number
  baseline?: number
  baseline_min?: number
  baseline_max?: number
  baseline_rounds?: number
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
  /** Matched by `--filter` as `<suite>/<case>`: keep it unique within the suite. */
  name: string
  run: (state: S, ctx: BenchContext) => Rows | Promise<Rows>
}

export interface SuiteDefinition<S> {
  /** Matched by `--filter` (substring of `<suite>/<case>`). */
  name: string
  /** A reason to skip the whole suite (e.g. its database is not configured), or undefined to run it. */
  skip?: () => string | undefined
  setup?: (ctx: BenchContext) => S | Promise<S>
  /** Always runs after setup succeeded, even if a case throws. */
  teardown?: (state: S, ctx: BenchContext) => unknown
  cases: ReadonlyArray<BenchCase<S>>
}

/** A suite ready to run; the setup state type is hidden so suites of any state fit in one array. */
export interface Suite {
  readonly name: string
  readonly caseNames: readonly string[]
  /** Runs the cases `include` accepts (all by default); setup and teardown run once around them. */
  run: (ctx: BenchContext, include?: (caseName: string) => boolean) => Promise<Result[]>
}

/**
 * Declare a suite. `setup`'s return value is handed to every case and to `teardown`.
 * @example
 * export default defineSuite({
 *   name: 'pricing',
 *   setup: () => makeEvents(10_000),
 *   cases: [{ name: 'tiered', run: async (events) => {
 *     const [kobo, raw] = await measureThroughputs([() => price(events), () => rawPrice(events)])
 *     return compare('tiered', kobo!, raw)
 *   } }],
 * })
 */
export function defineSuite<S = undefined>(def: SuiteDefinition<S>): Suite {
  return {
    name: def.name,
    caseNames: def.cases.map((c) => c.name),
    async run(ctx, include = () => true) {
      const cases = def.cases.filter((c) => include(c.name))
      const reason = def.skip?.()
      if (cases.length === 0) return []
      if (reason !== undefined) {
        ctx.log(`  ${def.name} skipped: ${reason}`)
        return []
      }
      const state = def.setup ? await def.setup(ctx) : (undefined as S)
      const results: Result[] = []
      try {
        for (const c of cases) {
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
 * Turn one latency statistic into a Measurement in µs (its median over rounds, with the range),
 * ready for `compare`.
 * @example compare('insert p99', pickLatency(kobo, 'p99'), pickLatency(base, 'p99'), { max: 250 })
 */
export function pickLatency(stats: LatencyStats, stat: 'p50' | 'p99' | 'p999' | 'mean'): Measurement {
  const s = stats[stat]
  return { value: s.median, unit: 'µs', min: s.min, max: s.max, rounds: s.rounds }
}

/**
 * The same Measurement in another unit, e.g. µs to ms: every figure of it is multiplied by `factor`.
 * @example rescale(pickLatency(stats, 'p50'), 1 / 1000, 'ms')
 */
export function rescale(m: Measurement, factor: number, unit: string): Measurement {
  const scaled: Measurement = { ...m, value: m.value * factor, unit }
  if (m.min !== undefined) scaled.min = m.min * factor
  if (m.max !== undefined) scaled.max = m.max * factor
  return scaled
}

/**
 * Build a result row. Ratio convention (so ratio >= 1 always means kobometer is at least as fast),
 * computed from the medians:
 * - higher-is-better units (throughput, e.g. ops/s): ratio = kobometer / baseline
 * - lower-is-better units (latency µs/ms, sizes):    ratio = baseline / kobometer
 * `met` is only set when a target is given; it is checked against kobometer's median.
 * @example compare('price 1k events', kobo, base, { min: 1_000_000 })
 */
export function compare(
  name: string,
  kobometer: Measurement,
  baseline?: Measurement,
  target?: Target,
): Result {
  const row: Result = { name, value: kobometer.value, unit: kobometer.unit }
  if (kobometer.rounds !== undefined) {
    row.min = kobometer.min
    row.max = kobometer.max
    row.rounds = kobometer.rounds
  }
  if (baseline) {
    if (baseline.unit !== kobometer.unit) {
      throw new Error(`compare(${name}): unit mismatch ${kobometer.unit} vs ${baseline.unit}`)
    }
    row.baseline = baseline.value
    if (baseline.rounds !== undefined) {
      row.baseline_min = baseline.min
      row.baseline_max = baseline.max
      row.baseline_rounds = baseline.rounds
    }
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
