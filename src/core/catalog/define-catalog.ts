import type { CatalogInput } from './types.js'

/**
 * Types a catalog where it is written, so a typo fails to compile; returns its argument unchanged.
 * An `as const` catalog is accepted as is.
 *
 * @example
 * import { createBilling, defineCatalog } from 'kobometer'
 * const catalog = defineCatalog({
 *   meters: [{ code: 'api_calls', event_name: 'api_call', aggregation: 'count' }],
 *   plans: [{ code: 'starter', name: 'Starter', currency: 'NGN', interval: 'month',
 *     charges: [{ meter: 'api_calls', model: 'per_unit', unit_amount: '50' }] }],
 * } as const)
 * await billing.catalog.sync(catalog)
 */
export function defineCatalog<const C extends CatalogInput>(catalog: C): C {
  return catalog
}
