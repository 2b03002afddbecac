/** Run-wide measurement settings, set once by the runner from CLI flags. */
export interface BenchSettings {
  /** `--quick`: every measurement ~10× shorter, and 3 rounds unless `--rounds` says otherwise. */
  quick: boolean
  /** `--rounds <n>`: measured rounds of every repeated measurement, overriding each suite's choice. */
  rounds: number | undefined
}

const current: BenchSettings = { quick: false, rounds: undefined }

/** Rounds a repeated measurement takes when neither the suite nor `--rounds` says. */
export const DEFAULT_ROUNDS = 5
const QUICK_ROUNDS = 3

/**
 * Set the run-wide settings; fields left out keep their value, and `rounds: undefined` goes back
 * to each suite's own choice.
 * @example configure({ quick: true, rounds: 7 })
 */
export function configure(opts: Partial<BenchSettings>): void {
  if (opts.quick !== undefined) current.quick = opts.quick
  if ('rounds' in opts) current.rounds = opts.rounds
}

/**
 * True with `--quick`.
 * @example const n = isQuick() ? 100_000 : 1_000_000
 */
export function isQuick(): boolean {
  return current.quick
}

/**
 * Measured rounds for one measurement: `--rounds` first, then the suite's request, then the default.
 * `--quick` caps it at 3 so a quick run still shows a spread.
 * @example roundsFor(undefined) // 5, or 3 with --quick
 */
export function roundsFor(requested: number | undefined): number {
  if (current.rounds !== undefined) return Math.max(1, Math.trunc(current.rounds))
  const rounds = Math.max(1, Math.trunc(requested ?? DEFAULT_ROUNDS))
  return current.quick ? Math.min(rounds, QUICK_ROUNDS) : rounds
}

/**
 * A duration in ms, shortened ~10× with `--quick` (never below `floor`).
 * @example const ms = scaledMs(2000) // 2000, or 200 with --quick
 */
export function scaledMs(ms: number, floor = 20): number {
  return current.quick ? Math.max(floor, ms / 10) : ms
}
