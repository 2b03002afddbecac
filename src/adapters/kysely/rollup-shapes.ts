import type { RollupDelta } from '../../core/meters/types.js'
import type { ColumnSpec, DialectQuirks } from './dialect-quirks.js'

/**
 * What a rollup delta carries besides its count. Every delta of one meter has the same shape
 * (`count` also serves unique counts, whose values go to their own table); `full` is any mix.
 */
export type RollupShape = 'count' | 'sum' | 'min' | 'max' | 'latest' | 'full'

type Ref = (column: string) => string

interface ShapeSpec {
  readonly columns: readonly ColumnSpec[]
  readonly values: (delta: RollupDelta) => unknown[]
  readonly set: (quirks: DialectQuirks, stored: Ref, incoming: Ref) => string[]
}

const KEY: readonly ColumnSpec[] = [
  { name: 'meter', kind: 'text' },
  { name: 'customer_id', kind: 'text' },
  { name: 'bucket', kind: 'int' },
  { name: 'count', kind: 'int' },
]
const LATEST: readonly ColumnSpec[] = [
  { name: 'latest_ts', kind: 'int' },
  { name: 'latest_key', kind: 'text' },
  { name: 'latest_value', kind: 'decimal' },
]
const keyValues = (d: RollupDelta): unknown[] => [d.meter, d.customer_id, d.bucket, d.count]
const latestValues = (d: RollupDelta): unknown[] => [
  d.latest?.timestamp ?? null,
  d.latest?.key ?? null,
  d.latest?.value ?? null,
]

const count = (r: Ref, x: Ref) => `count = ${r('count')} + ${x('count')}`
const sum = (q: DialectQuirks, r: Ref, x: Ref) => `sum = ${q.decimalAdd(r('sum'), x('sum'))}`
const min = (q: DialectQuirks, r: Ref, x: Ref) => `min = ${q.decimalMin(r('min'), x('min'))}`
const max = (q: DialectQuirks, r: Ref, x: Ref) => `max = ${q.decimalMax(r('max'), x('max'))}`

/**
 * The merge of a stored row's `count`, `sum`, `min` and `max` with an incoming one's, exact and
 * NULL-safe: the assignments of an upsert of rollups and of the hourly totals alike.
 *
 * @example
 * quirks.upsert(table, columns, source, key, (r, x) => additiveMerge(quirks, r, x).join(', '))
 */
export function additiveMerge(q: DialectQuirks, r: Ref, x: Ref): string[] {
  return [count(r, x), sum(q, r, x), min(q, r, x), max(q, r, x)]
}

// The incoming latest replaces the stored one when later: greater timestamp, ties broken by key
// (core's `isLater`). MySQL applies assignments left to right, each seeing the columns already
// assigned, so they go value, key, then timestamp: `later` reads the old timestamp and key until
// the last one, where the new key can no longer change its answer.
function latest(r: Ref, x: Ref): string[] {
  const later =
    `(${x('latest_ts')} IS NOT NULL AND (${r('latest_ts')} IS NULL OR ${x('latest_ts')} > ${r('latest_ts')}` +
    ` OR (${x('latest_ts')} = ${r('latest_ts')} AND ${x('latest_key')} > ${r('latest_key')})))`
  return ['latest_value', 'latest_key', 'latest_ts'].map(
    (column) => `${column} = CASE WHEN ${later} THEN ${x(column)} ELSE ${r(column)} END`,
  )
}

const decimal = (name: string): ColumnSpec => ({ name, kind: 'decimal' })

/** Columns, parameter values and merge assignments of each shape: a delta writes only what it has. */
export const SHAPES: Readonly<Record<RollupShape, ShapeSpec>> = Object.freeze({
  count: { columns: KEY, values: keyValues, set: (_q, r, x) => [count(r, x)] },
  sum: {
    columns: [...KEY, decimal('sum')],
    values: (d) => [...keyValues(d), d.sum],
    set: (q, r, x) => [count(r, x), sum(q, r, x)],
  },
  min: {
    columns: [...KEY, decimal('min')],
    values: (d) => [...keyValues(d), d.min],
    set: (q, r, x) => [count(r, x), min(q, r, x)],
  },
  max: {
    columns: [...KEY, decimal('max')],
    values: (d) => [...keyValues(d), d.max],
    set: (q, r, x) => [count(r, x), max(q, r, x)],
  },
  latest: {
    columns: [...KEY, ...LATEST],
    values: (d) => [...keyValues(d), ...latestValues(d)],
    set: (_q, r, x) => [count(r, x), ...latest(r, x)],
  },
  full: {
    columns: [...KEY, decimal('sum'), decimal('min'), decimal('max'), ...LATEST],
    values: (d) => [...keyValues(d), d.sum, d.min, d.max, ...latestValues(d)],
    set: (q, r, x) => [...additiveMerge(q, r, x), ...latest(r, x)],
  },
})

/**
 * The shape of a delta.
 *
 * @example
 * shapeOf({ ...emptyRollup(), meter: 'tokens', customer_id: 'c', bucket: 0, count: 1, sum: '5' }) // 'sum'
 */
export function shapeOf(delta: RollupDelta): RollupShape {
  const hasSum = delta.sum !== null
  const hasMin = delta.min !== null
  const hasMax = delta.max !== null
  const hasLatest = delta.latest !== null
  const n = Number(hasSum) + Number(hasMin) + Number(hasMax) + Number(hasLatest)
  if (n === 0) return 'count'
  if (n > 1) return 'full'
  return hasSum ? 'sum' : hasMin ? 'min' : hasMax ? 'max' : 'latest'
}
