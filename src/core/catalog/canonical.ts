import type { Meter } from '../meters/types.js'
import { Decimal } from '../money/decimal.js'
import type { PlanDraft } from '../plans/plans-service.js'
import { limitsOf } from '../plans/validate-plan-limits.js'

// Charge fields that hold decimals: `50`, `'50'` and `'50.00'` are one price.
const DECIMAL_FIELDS = new Set([
  'unit_amount',
  'package_size',
  'package_amount',
  'free_units',
  'block_size',
  'block_amount',
  'overage_unit_amount',
  'rate',
  'fixed_amount',
  'min_amount',
  'max_amount_per_event',
  'max_amount',
  'flat_amount',
])

function decimal(value: unknown): unknown {
  if (typeof value !== 'string' && typeof value !== 'number') return value
  try {
    return new Decimal(value).toFixed()
  } catch {
    return value
  }
}

// Object keys sorted at every depth, `undefined` members dropped: key order never matters.
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  )
}

/**
 * Filters as a set of allowed string values per property: value order, duplicates and number vs
 * string spellings do not matter (an event matches by its string form), and no filter equals `{}`.
 *
 * @example
 * canonicalFilters({ tier: [2, '1'] }) === canonicalFilters({ tier: ['1', '2'] }) // true
 */
export function canonicalFilters(filters: unknown): string {
  if (typeof filters !== 'object' || filters === null || Object.keys(filters).length === 0) return 'null'
  const sets = Object.entries(filters).map(([key, values]) => [
    key,
    Array.isArray(values) ? [...new Set(values.map(String))].sort() : values,
  ])
  return stableJson(Object.fromEntries(sets))
}

function canonicalCharge(charge: unknown): unknown {
  if (typeof charge !== 'object' || charge === null || Array.isArray(charge)) return charge
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(charge)) {
    // A plan bills in one currency: a charge's optional `currency` is checked, never stored.
    if (key === 'currency') continue
    if (key === 'filters') out[key] = canonicalFilters(value)
    else if (key === 'tiers' && Array.isArray(value)) out[key] = value.map(canonicalCharge)
    else out[key] = DECIMAL_FIELDS.has(key) ? decimal(value) : value
  }
  return out
}

/**
 * What a plan version bills, in one comparable string: equal strings are the same plan. Key order,
 * decimal spellings (`50`, `'50.0'`), filter value order and omitted plan defaults do not count;
 * charge, tier and tax order do (they are the invoice's line order).
 *
 * @example
 * planContent(parsePlan(input)) === planContent(await getPlan(ctx, input.code)) // nothing to version
 */
export function planContent(plan: PlanDraft): string {
  return stableJson({
    name: plan.name,
    description: plan.description,
    trial_days: plan.trial_days,
    fixed_amount: decimal(plan.fixed_amount),
    minimum_amount: decimal(plan.minimum_amount),
    tax_rates: plan.tax_rates.map((t) => ({ name: t.name, percent: decimal(t.percent) })),
    charges: plan.charges.map(canonicalCharge),
    limits: limitsOf(plan).map((l) => ({ ...l, quantity: decimal(l.quantity) })),
    metadata: plan.metadata,
  })
}

/** The plan fields no version may change, in the order they are reported. */
export const FIXED_PLAN_FIELDS = ['currency', 'interval', 'interval_count'] as const

/** Every field of a meter, comparable; none can change once the meter exists. */
export const METER_FIELDS = ['event_name', 'aggregation', 'property', 'filters', 'name'] as const

/**
 * A meter field in comparable form.
 *
 * @example
 * meterField(meter, 'filters') // '{"model":["large"]}'
 */
export function meterField(meter: Meter, field: (typeof METER_FIELDS)[number]): string {
  return field === 'filters' ? canonicalFilters(meter.filters) : JSON.stringify(meter[field])
}
