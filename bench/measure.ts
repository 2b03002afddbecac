import { hrtime } from 'node:process'
import { roundsFor, scaledMs } from './settings.js'
import { summarize } from './stats.js'

/**
 * A figure with its unit, e.g. `{ value: 1_250_000, unit: 'ops/s', min: 1_190_000, max: 1_300_000, rounds: 5 }`.
 * `value` is the median of the rounds; `min`/`max` are the lowest and highest round.
 */
export interface Measurement {
  value: number
  unit: string
  /** Override the direction inferred from `unit` (time and byte units are lower-is-better). */
  better?: 'higher' | 'lower'
  min?: number
  max?: number
  /** Rounds behind `value`; 1 (or absent) for a figure taken once, which has no spread. */
  rounds?: number
}

export interface ThroughputOptions {
  /** Minimum duration of one measured round in ms (default 500; ÷10 with `--quick`). */
  minMs?: number
  /** Calls between two clock reads. Default: auto-calibrated so one batch lasts about 1 ms. */
  batch?: number
  /** Measured rounds; the median is reported with the range (default 5; see `roundsFor`). */
  rounds?: number
  /** Warm-up before measuring, in ms (default minMs / 5). */
  warmupMs?: number
  /** Operations done by one call, e.g. 1000 if `fn` prices 1000 events (default 1). */
  opsPerCall?: number
  /** Unit of the result (default `'ops/s'`). */
  unit?: string
}

/** A benchmarked function, sync or async. */
export type Fn = () => unknown
/** Calls the benchmarked function `n` times in a row. */
export type BatchRunner = (n: number) => void | Promise<void>

/** Written after every call so V8 cannot treat the benchmarked call as dead code. */
export const blackhole: { sink: unknown } = { sink: undefined }

/**
 * A Measurement from per-round values: the median, with the range.
 * @example fromRounds([980, 1010, 1000], 'events/s') // { value: 1000, min: 980, max: 1010, rounds: 3, … }
 */
export function fromRounds(values: readonly number[], unit: string): Measurement {
  const s = summarize(values)
  return { value: s.median, unit, min: s.min, max: s.max, rounds: s.rounds }
}

/**
 * Calls `fn` once (awaiting it if it returned a promise) and tells whether it is async.
 * @example const run = batchRunner(fn, await probe(fn))
 */
export async function probe(fn: Fn): Promise<boolean> {
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
 * @example const run = batchRunner(fn, await probe(fn)); await run(1000)
 */
export function batchRunner(fn: Fn, isAsync: boolean): BatchRunner {
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
 * Throughput of several functions measured side by side: each is warmed up, then their rounds
 * alternate (A, B, A, B, …) so a slow spell of a shared host lands on all of them rather than on
 * whichever ran last. Each figure is the median round, with the slowest and fastest round; each
 * round is long enough to include its share of GC work.
 * @example const [kobo, raw] = await measureThroughputs([() => ingest(batch()), () => insert(batch())], { opsPerCall: 1000 })
 */
export async function measureThroughputs(
  fns: readonly Fn[],
  opts: ThroughputOptions = {},
): Promise<Measurement[]> {
  const minMs = scaledMs(opts.minMs ?? 500)
  const rounds = roundsFor(opts.rounds)
  const loops: Array<{ run: BatchRunner; batch: number }> = []
  for (const fn of fns) {
    const run = batchRunner(fn, await probe(fn))
    const batch = opts.batch ?? (await calibrate(run))
    await runFor(run, batch, opts.warmupMs ?? minMs / 5)
    loops.push({ run, batch })
  }
  const perRound = fns.map((): number[] => [])
  for (let r = 0; r < rounds; r++) {
    for (const [i, { run, batch }] of loops.entries()) {
      const { calls, ns } = await runFor(run, batch, minMs)
      perRound[i]!.push((calls * (opts.opsPerCall ?? 1) * 1e9) / ns)
    }
  }
  return perRound.map((values) => fromRounds(values, opts.unit ?? 'ops/s'))
}
