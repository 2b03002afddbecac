import type { KeyPageQuery } from '../../core/ports/index.js'

/** A deep copy: the memory stores copy records in and out so callers never share objects with them. */
export const copy = <T>(value: T): T => structuredClone(value)

/** A stored record's copy, or null. */
export const copyOrNull = <T>(value: T | undefined): T | null => (value === undefined ? null : copy(value))

/**
 * A key-ordered page of copies of the rows that `keep` accepts (the port's `list` rule).
 *
 * @example
 * page(customers.values(), (c) => c.id, { after: 'c_1', limit: 10 })
 */
export function page<T>(
  rows: Iterable<T>,
  keyOf: (row: T) => string,
  query: KeyPageQuery,
  keep: (row: T) => boolean = () => true,
): T[] {
  const out: T[] = []
  for (const row of rows)
    if ((query.after === undefined || keyOf(row) > query.after) && keep(row)) out.push(row)
  out.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0))
  return out.slice(0, query.limit).map(copy)
}
