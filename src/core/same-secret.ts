import { timingSafeEqual } from 'node:crypto'

/**
 * Constant-time equality of two strings (a stored hash or expected token and the presented one);
 * a presented value that is not a string never matches.
 *
 * @example
 * sameSecret('abc', 'abd') // false
 */
export function sameSecret(expected: string, presented: unknown): boolean {
  if (typeof presented !== 'string') return false
  const a = Buffer.from(expected, 'utf8')
  const b = Buffer.from(presented, 'utf8')
  return a.length === b.length && timingSafeEqual(a, b)
}
