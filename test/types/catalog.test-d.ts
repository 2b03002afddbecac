// Checked by `tsc --noEmit -p .` (npm run typecheck), never run: a catalog written `as const` (every
// array readonly) must be accepted by the API, and the exported input types must work with
// `satisfies` and `defineCatalog`.
import {
  type Billing,
  type CatalogInput,
  type CatalogSyncResult,
  type Charge,
  defineCatalog,
  type MeterInput,
  type PlanInput,
} from '../../src/index.js'

export const meters = [
  { code: 'api_calls', event_name: 'api_call', aggregation: 'count' },
  {
    code: 'tokens',
    event_name: 'api_call',
    aggregation: 'sum',
    property: 'tokens',
    filters: { model: ['large', 'xl'], tier: [1, 2] },
  },
] as const

export const tokens = {
  meter: 'tokens',
  model: 'graduated',
  tiers: [
    { up_to: 1000, unit_amount: '2' },
    { up_to: null, unit_amount: 1, flat_amount: '0' },
  ],
  filters: { region: ['eu'] },
} as const

export const starter = {
  code: 'starter',
  name: 'Starter',
  currency: 'NGN',
  interval: 'month',
  fixed_amount: '500000',
  tax_rates: [{ name: 'VAT', percent: '7.5' }],
  charges: [{ meter: 'api_calls', model: 'per_unit', unit_amount: '50' }, tokens],
  metadata: { segment: 'smb', seats: 3 },
} as const

export const catalog = { meters, plans: [starter] } as const

// The readonly values, as they are, where the API takes input.
export const typedMeter: MeterInput = meters[1]
export const typedCharge: Charge = tokens
export const typedPlan: PlanInput = starter
export const typedCatalog: CatalogInput = catalog

export const batch = [{ event_name: 'api_call', customer_id: 'cus_1', idempotency_key: 'req_1' }] as const

export async function boot(billing: Billing): Promise<CatalogSyncResult> {
  await billing.events.ingest({ events: batch })
  await billing.meters.create(meters[1])
  await billing.plans.create(starter)
  await billing.plans.update('starter', { charges: starter.charges, tax_rates: starter.tax_rates })
  return billing.catalog.sync(catalog)
}

export const checked = {
  meters: [{ code: 'api_calls', event_name: 'api_call', aggregation: 'count' }],
  plans: [{ code: 'free', name: 'Free', currency: 'NGN', interval: 'month' }],
} as const satisfies CatalogInput

export const defined = defineCatalog({
  meters: [{ code: 'api_calls', event_name: 'api_call', aggregation: 'count' }],
  plans: [
    {
      code: 'pro',
      name: 'Pro',
      currency: 'NGN',
      interval: 'month',
      charges: [{ meter: 'api_calls', model: 'package', package_size: 1000, package_amount: '20000' }],
    },
  ],
})

// defineCatalog keeps the literal types of what it is given.
export const proCode: 'pro' = defined.plans[0].code

// @ts-expect-error a misspelled charge model does not compile
export const typo: Charge = { model: 'per_units', unit_amount: 1 }

// @ts-expect-error a meter needs an aggregation the engine knows
export const unknownAggregation: MeterInput = { code: 'x', event_name: 'x', aggregation: 'avg' }
