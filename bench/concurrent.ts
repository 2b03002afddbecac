import { fromRounds, type Measurement } from './measure.js'
import { roundsFor, scaledMs } from './settings.js'

export interface ConcurrentOptions {
  /** Loops running at once, each awaiting its call before making the next. */
  callers: number
  /** Length of one round in ms (÷10 with `--quick`). */
  ms: number
  /** Measured rounds (default 5; see `roundsFor`). */
  rounds?: number
  /** Unit of the result (default `'calls/s'`). */
  unit?: string
}

// `callers` concurrent loops, each calling `fn` while `more()` says so; completed calls per second.
async function perSecond(callers: number, more: () => boolean, fn: () => Promise<unknown>): Promise<number> {
  let done = 0
  const start = performance.now()
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (more()) {
        await fn()
        done++
      }
    }),
  )
  return done / ((performance.now() - start) / 1000)
}

/**
 * Runs `callers` concurrent loops of `fn` for `ms` milliseconds; returns completed calls per second.
 * @example const perSecond = await callsPerSecond(200, 2000, () => billing.events.ingest(one()))
 */
export function callsPerSecond(callers: number, ms: number, fn: () => Promise<unknown>): Promise<number> {
  const deadline = performance.now() + ms
  return perSecond(callers, () => performance.now() < deadline, fn)
}

/**
 * Runs `callers` concurrent loops of `fn` until `count` calls have been made; returns completed
 * calls per second. For work whose cost sits in known calls (e.g. each customer's first event of a
 * period), so a round holds all of it however slowly it goes.
 * @example const perSecond = await countPerSecond(200, 2000, () => billing.events.ingest(one()))
 */
export function countPerSecond(callers: number, count: number, fn: () => Promise<unknown>): Promise<number> {
  let started = 0
  return perSecond(callers, () => started++ < count, fn)
}

/**
 * Completed calls per second of several functions, each called by `callers` concurrent loops,
 * side by side: a short warm-up each (pools fill, statements get cached), then rounds alternating
 * between them. Each figure is the median round, with the range.
 * @example
 * const [kobo, raw] = await measureConcurrent([() => billing.events.ingest(one()), () => pool.query(insert, row())], { callers: 200, ms: 2000 })
 */
export async function measureConcurrent(
  fns: ReadonlyArray<() => Promise<unknown>>,
  opts: ConcurrentOptions,
): Promise<Measurement[]> {
  const ms = scaledMs(opts.ms, 100)
  const rounds = roundsFor(opts.rounds)
  for (const fn of fns) await callsPerSecond(opts.callers, ms / 5, fn)
  const perRound = fns.map((): number[] => [])
  for (let r = 0; r < rounds; r++) {
    for (const [i, fn] of fns.entries()) perRound[i]!.push(await callsPerSecond(opts.callers, ms, fn))
  }
  return perRound.map((values) => fromRounds(values, opts.unit ?? 'calls/s'))
}
