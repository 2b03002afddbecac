/** Median and range of one figure measured over several rounds. */
export interface Spread {
  median: number
  min: number
  max: number
  rounds: number
}

/**
 * Median, lowest and highest of the per-round values (the median of an even count is the mean of
 * the middle two). Every figure the bench reports is the median; min and max show how far rounds
 * of the same code moved on this host.
 * @example summarize([3, 1, 2]) // { median: 2, min: 1, max: 3, rounds: 3 }
 */
export function summarize(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error('summarize: no values')
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, rounds: sorted.length }
}

/**
 * Nearest-rank quantile of an ascending array.
 * @example quantile(Float64Array.of(1, 2, 3, 4), 0.5) // 2
 */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN
}
