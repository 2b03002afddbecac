/**
 * The integers `[from, from + count)`.
 *
 * @example
 * range(1, 3) // [1, 2, 3]
 */
export const range = (from: number, count: number): number[] =>
  Array.from({ length: count }, (_, i) => from + i)

/**
 * `items` rotated left by `k`: each process walks the same keys from another starting point, so
 * they meet on every key at different moments.
 *
 * @example
 * rotate([1, 2, 3], 1) // [2, 3, 1]
 */
export const rotate = <T>(items: readonly T[], k: number): T[] => {
  const n = items.length === 0 ? 0 : k % items.length
  return [...items.slice(n), ...items.slice(0, n)]
}

/**
 * Where key `k` of `n` falls in the order of a process that walks them rotated by `shift`.
 *
 * @example
 * indexIn(0, 1, 3) // 2: rotate([0, 1, 2], 1) is [1, 2, 0]
 */
export const indexIn = (k: number, shift: number, n: number): number => (((k - shift) % n) + n) % n

/**
 * For each key `0..n-1`, the processes whose answer about it passes `won`, when process `p` walked
 * the keys rotated by `p`.
 *
 * @example
 * winnersByKey(3, results, (answer) => answer === true) // [[2], [0], [1]]
 */
export const winnersByKey = (
  n: number,
  results: readonly unknown[][],
  won: (answer: unknown) => boolean,
): number[][] =>
  range(0, n).map((k) => results.flatMap((answers, p) => (won(answers[indexIn(k, p, n)]) ? [p] : [])))
