import { hrtime } from 'node:process'

/** A value with its unit, e.g. `{ value: 1_250_000, unit: 'ops/s' }`. */
export interface Measurement {
  value: number
  unit: string
  /** Override the direction inferred from `unit` (time and byte units are lower-is-better). */
  better?: 'higher' | 'lower'
}

export interface ThroughputOptions {
  /** Minimum duration of one measured round in ms (default 500; ÷10 with `--quick`). */
  minMs?: number
  /** Calls between two clock reads. Default: auto-calibrated so one batch lasts about 1 ms. */
  batch?: number
  /** Measured rounds; the best one is reported (default 3; 1 with `--quick`). */
  rounds?: number
  /** Warm-up before measuring, in ms (default minMs / 5). */
  warmupMs?: number
  /** Operations done by one call, e.g. 1000 if `fn` prices 1000 events (default 1). */
  opsPerCall?: number
  /** Unit of the result (default `'ops/s'`). */
  unit?: string
}

export interface LatencyOptions {
  /** Timed calls (default 1000; ÷10 with `--quick`). */
  iterations?: number
  /** Untimed calls first (default iterations / 10). */
  warmup?: number
}

/** Per-call latency in microseconds. */
export interface LatencyStats {
  p50: number
  p99: number
  mean: number
  samples: number
}

type Fn = () => unknown
type BatchRunner = (n: number) => void | Promise<void>

const settings = { quick: false }
/** Written after every call so V8 cannot treat the benchmarked call as dead code. */
export const blackhole: { sink: unknown } = { sink: undefined }

/**
 * Global options, set once by the runner from CLI flags. `quick` shortens every measurement ~10×.
 * @example configure({ quick: true })
 */
export function configure(opts: { quick?: boolean }): void {
  settings.quick = opts.quick ?? settings.quick
}

/** Calls `fn` once (awaiting it if it returned a promise) and tells whether it is async. */
async function probe(fn: Fn): Promise<boolean> {
  const first = fn()
  const isAsync = typeof (first as { then?: unknown } | null)?.then === 'function'
  if (isAsync) await first
  return isAsync
}

let loopId = 0
/**
 * Compiles a fresh loop per measurement (unique source defeats V8's compile cache) so the call site
 * keeps its own type feedback: otherwise the 2nd benchmarked function makes the shared call site
 * polymorphic and every later measurement loses inlining (seen: 3x slower for tiny functions).
 * The sync loop never awaits, so sync functions pay no promise/microtask cost per call.
 */
function batchRunner(fn: Fn, isAsync: boolean): BatchRunner {
  const body = `for (let i = 0; i < n; i++) out.sink = ${isAsync ? 'await ' : ''}fn()`
  const source = `return ${isAsync ? 'async ' : ''}(n) => { ${body} } // loop ${++loopId}`
  return new Function('fn', 'out', source)(fn, blackhole) as BatchRunner
}

/** Runs batches until `ms` have elapsed; returns calls made and nanoseconds spent. */
async function runFor(run: BatchRunner, batch: number, ms: number): Promise<{ calls: number; ns: number }> {
  const limit = BigInt(Math.round(ms * 1e6))
  const start = hrtime.bigint()
  let calls = 0
  let elapsed = 0n
  do {
    const pending = run(batch)
    if (pending) await pending
    calls += batch
    elapsed = hrtime.bigint() - start
  } while (elapsed < limit)
  return { calls, ns: Number(elapsed) }
}

/** Doubles the batch until one batch takes >= 1 ms, then scales it to ~1 ms. */
async function calibrate(run: BatchRunner): Promise<number> {
  for (let n = 1; ; n *= 2) {
    const { ns } = await runFor(run, n, 0)
    if (ns >= 1e6 || n >= 2 ** 24) return Math.max(1, Math.round((n * 1e6) / Math.max(ns, 1)))
  }
}

/**
 * Throughput of `fn` (sync or async) in operations per second.
 * Warm-up (JIT, caches) first, then `rounds` rounds of at least `minMs` each; the BEST round is
 * reported. On a shared 2-core machine noise is one-sided (scheduling, other processes, frequency
 * changes only ever slow a round down), so the fastest round is the least-disturbed estimate. Each
 * round is long enough to include its share of GC work, so GC cost is still counted.
 * @example const m = await measureThroughput(() => priceEvents(batch), { opsPerCall: 1000, unit: 'events/s' })
 */
export async function measureThroughput(fn: Fn, opts: ThroughputOptions = {}): Promise<Measurement> {
  const baseMs = opts.minMs ?? 500
  const minMs = settings.quick ? Math.max(20, baseMs / 10) : baseMs
  const rounds = settings.quick ? 1 : Math.max(1, opts.rounds ?? 3)
  const isAsync = await probe(fn)
  const run = batchRunner(fn, isAsync)
  const batch = opts.batch ?? (await calibrate(run))
  await runFor(run, batch, opts.warmupMs ?? minMs / 5)
  let best = 0
  for (let r = 0; r < rounds; r++) {
    const { calls, ns } = await runFor(run, batch, minMs)
    best = Math.max(best, (calls * (opts.opsPerCall ?? 1) * 1e9) / ns)
  }
  return { value: best, unit: opts.unit ?? 'ops/s' }
}

/** Nearest-rank quantile of an ascending array. */
const quantile = (sorted: Float64Array, q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN

/**
 * Per-call latency of `fn` (sync or async), in µs, timed with `process.hrtime.bigint()`.
 * The clock read costs ~0.05-0.1 µs, so use measureThroughput for sub-microsecond operations.
 * @example const { p50, p99 } = await measureLatency(() => db.insertEvent(e), { iterations: 500 })
 */
export async function measureLatency(fn: Fn, opts: LatencyOptions = {}): Promise<LatencyStats> {
  const base = Math.max(1, opts.iterations ?? 1000)
  const iterations = settings.quick ? Math.max(10, Math.ceil(base / 10)) : base
  const isAsync = await probe(fn)
  const run = batchRunner(fn, isAsync)
  await run(opts.warmup ?? Math.ceil(iterations / 10))
  const samples = new Float64Array(iterations)
  for (let i = 0; i < iterations; i++) {
    const t0 = hrtime.bigint()
    const pending = run(1)
    if (pending) await pending
    samples[i] = Number(hrtime.bigint() - t0) / 1e3
  }
  samples.sort()
  const mean = samples.reduce((sum, x) => sum + x, 0) / iterations
  return { p50: quantile(samples, 0.5), p99: quantile(samples, 0.99), mean, samples: iterations }
}
