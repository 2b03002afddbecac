/**
 * Rollups are kept per hour. An hour aligns with local midnight in every whole-hour time zone, and
 * a month is 720 rows per meter and customer: cheap to read. Windows that start or end inside an
 * hour are completed exactly from that customer's events of the partial hours.
 */
export const BUCKET_MS = 3_600_000

/**
 * The start of the bucket holding a timestamp.
 *
 * @example
 * bucketOf(Date.parse('2026-01-01T10:59:59.999Z')) === Date.parse('2026-01-01T10:00:00Z') // true
 */
export function bucketOf(timestamp: number): number {
  return startOf(timestamp, BUCKET_MS)
}

/** Minute rollups (where the storage keeps them) complete an hour's partial edges. */
export const MINUTE_MS = 60_000

/**
 * The start of the minute holding a timestamp.
 *
 * @example
 * minuteOf(Date.parse('2026-01-01T10:59:59.999Z')) === Date.parse('2026-01-01T10:59:00Z') // true
 */
export function minuteOf(timestamp: number): number {
  return startOf(timestamp, MINUTE_MS)
}

const startOf = (timestamp: number, size: number): number => timestamp - (((timestamp % size) + size) % size)

/** A window `[from, to)` cut into whole buckets read from rollups, and partial edges read from events. */
export interface WindowPlan {
  /** Whole buckets `[fromBucket, toBucket)`, or null when none fits. */
  buckets: { fromBucket: number; toBucket: number } | null
  /** Sub-windows `[from, to)` to be computed from raw events. */
  edges: Array<{ from: number; to: number }>
}

/**
 * Splits a half-open window into whole rollup buckets (hours, unless `size` says minutes) and
 * raw-event edges.
 *
 * @example
 * planWindow(Date.parse('2026-01-01T00:30Z'), Date.parse('2026-01-01T03:15Z'))
 * // buckets: 01:00–03:00; edges: 00:30–01:00 and 03:00–03:15
 */
export function planWindow(from: number, to: number, size: number = BUCKET_MS): WindowPlan {
  if (to <= from) return { buckets: null, edges: [] }
  const start = startOf(from, size)
  const firstWhole = from === start ? from : start + size
  const lastWhole = startOf(to, size)
  if (firstWhole >= lastWhole) return { buckets: null, edges: [{ from, to }] }
  const edges: Array<{ from: number; to: number }> = []
  if (from < firstWhole) edges.push({ from, to: firstWhole })
  if (lastWhole < to) edges.push({ from: lastWhole, to })
  return { buckets: { fromBucket: firstWhole, toBucket: lastWhole }, edges }
}
