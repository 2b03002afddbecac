/**
 * The UTC calendar month of a timestamp, as `'YYYYMM'`: the name suffix of its events partition.
 *
 * @example
 * monthOf(Date.UTC(2027, 0, 31, 23)) // '202701'
 */
export function monthOf(timestamp: number): string {
  const date = new Date(timestamp)
  return `${String(date.getUTCFullYear()).padStart(4, '0')}${String(date.getUTCMonth() + 1).padStart(2, '0')}`
}

/**
 * The first millisecond of a `'YYYYMM'` month and of the next one.
 *
 * @example
 * monthBounds('202712') // { from: Date.UTC(2027, 11, 1), to: Date.UTC(2028, 0, 1) }
 */
export function monthBounds(month: string): { from: number; to: number } {
  const year = Number(month.slice(0, 4))
  const index = Number(month.slice(4)) - 1
  return { from: Date.UTC(year, index, 1), to: Date.UTC(year, index + 1, 1) }
}

/**
 * Each month from `first`'s to `last`'s, both included, in order.
 *
 * @example
 * monthsBetween(Date.UTC(2027, 10, 5), Date.UTC(2028, 0, 1)) // ['202711', '202712', '202801']
 */
export function monthsBetween(first: number, last: number): string[] {
  const months: string[] = []
  const end = monthOf(last)
  for (let month = monthOf(first); month <= end; month = monthOf(monthBounds(month).to)) months.push(month)
  return months
}
