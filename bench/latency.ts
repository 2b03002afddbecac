import { hrtime } from 'node:process'
import { type BatchRunner, batchRunner, type Fn, probe } from './measure.js'
import { isQuick, roundsFor } from './settings.js'
import { quantile, type Spread, summarize } from './stats.js'

export interface LatencyOptions {
  /**
   * Timed calls per round (default 1000; ÷10 with `--quick`, at least 10): one count for every
   * function, or one per function when their speeds differ by orders of magnitude.
   */
  iterations?: number | readonly number[]
  /** Measured rounds; each statistic is the median over rounds, with its range (default 5). */
  rounds?: number
  /** Untimed calls first (default iterations / 10). */
  warmup?: number
}

/** Per-call latency in microseconds: each percentile is taken per round, then summarized over rounds. */
export interface LatencyStats {
  p50: Spread
  p99: Spread
  p999: Spread
  mean: Spread
  /** Timed calls per round. */
  samples: number
}

/** Times `iterations` calls one by one and returns the per-call times in µs, ascending. */
async function sample(run: BatchRunner, iterations: number): Promise<Float64Array> {
  const samples = new Float64Array(iterations)
  for (let i = 0; i < iterations; i++) {
    const t0 = hrtime.bigint()
    const pending = run(1)
    if (pending) await pending
    samples[i] = Number(hrtime.bigint() - t0) / 1e3
  }
  return samples.sort()
}

/**
 * Per-call latency of several functions (sync or async), in µs, side by side: rounds alternate
 * between them as in `measureThroughputs`. p50, p99, p999 and the mean are computed per round, then
 * each is reported as the median over rounds with its range. The clock read costs ~0.05-0.1 µs, so
 * use measureThroughputs for sub-microsecond operations.
 * @example const [kobo, raw] = await measureLatencies([() => billing.events.ingest(one()), () => insert.run(row())])
 */
export async function measureLatencies(
  fns: readonly Fn[],
  opts: LatencyOptions = {},
): Promise<LatencyStats[]> {
  const counts = fns.map((_, i) => {
    const requested = typeof opts.iterations === 'object' ? opts.iterations[i] : opts.iterations
    const base = Math.max(1, requested ?? 1000)
    return isQuick() ? Math.max(10, Math.ceil(base / 10)) : base
  })
  const rounds = roundsFor(opts.rounds)
  const runs: BatchRunner[] = []
  for (const [i, fn] of fns.entries()) {
    const run = batchRunner(fn, await probe(fn))
    const warm = run(opts.warmup ?? Math.ceil(counts[i]! / 10))
    if (warm) await warm
    runs.push(run)
  }
  const perRound = fns.map(() => ({
    p50: [] as number[],
    p99: [] as number[],
    p999: [] as number[],
    mean: [] as number[],
  }))
  for (let r = 0; r < rounds; r++) {
    for (const [i, run] of runs.entries()) {
      const samples = await sample(run, counts[i]!)
      const into = perRound[i]!
      into.p50.push(quantile(samples, 0.5))
      into.p99.push(quantile(samples, 0.99))
      into.p999.push(quantile(samples, 0.999))
      into.mean.push(samples.reduce((sum, x) => sum + x, 0) / samples.length)
    }
  }
  return perRound.map((v, i) => ({
    p50: summarize(v.p50),
    p99: summarize(v.p99),
    p999: summarize(v.p999),
    mean: summarize(v.mean),
    samples: counts[i]!,
  }))
}
