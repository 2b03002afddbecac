import { createHash } from 'node:crypto'
import type { Meter } from '../meters/types.js'
import type { PlanCharge } from './types.js'

/**
 * The meter whose rollups answer a charge. A charge without `filters` reads its meter directly; a
 * charge with filters reads a derived meter (the meter's filters intersected with the charge's),
 * created with the plan and backfilled like any meter, so invoices cost O(rollup rows) either way.
 *
 * @example
 * chargeMeterCode({ meter: 'api_calls', model: 'per_unit', unit_amount: '50', filters: { model: ['large'] } })
 * // 'api_calls__f3b1c9a07d2e4f61'
 */
export function chargeMeterCode(charge: Pick<PlanCharge, 'meter' | 'filters'>): string {
  if (charge.filters === undefined || Object.keys(charge.filters).length === 0) return charge.meter
  const canonical = Object.keys(charge.filters)
    .sort()
    .map((key) => [key, [...(charge.filters?.[key] ?? [])].map(String).sort()])
  const hash = createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 16)
  return `${charge.meter}__f${hash}`
}

/**
 * The derived meter of a filtered charge: the base meter with both filter sets applied (a property
 * filtered by both keeps only the values in both).
 *
 * @example
 * chargeMeter(apiCalls, { meter: 'api_calls', model: 'per_unit', unit_amount: '50', filters: { model: ['large'] } })
 */
export function chargeMeter(base: Meter, charge: PlanCharge, createdAt: string): Meter {
  const filters: Record<string, string[]> = { ...(base.filters ?? {}) }
  for (const [key, values] of Object.entries(charge.filters ?? {})) {
    const wanted = values.map(String)
    const existing = filters[key]
    filters[key] = existing === undefined ? wanted : existing.filter((v) => wanted.includes(v))
  }
  return {
    ...base,
    code: chargeMeterCode(charge),
    name: `${base.name ?? base.code} (charge filter)`,
    filters,
    created_at: createdAt,
  }
}
