// Checked by `tsc --noEmit -p .` (npm run typecheck), never run: an `as const` catalog must compile
// against the exported input types, through `satisfies` and `defineCatalog`.
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
] as const satisfies readonly MeterInput[]

export const tokens = {
  meter: 'tokens',
  model: 'graduated',
  tiers: [
    { up_to: 1000, unit_amount: '2' },
    { up_to: null, unit_amount: 1, flat_amount: '0' },
  ],
  filters: { region: ['eu'] },
} as const satisfies Charge

export const starter = {
  code: 'starter',
  name: 'Starter',
  currency: 'NGN',
  interval: 'month',
  fixed_amount: '500000',
  tax_rates: [{ name: 'VAT', percent: '7.5' }],
  charges: [{ meter: 'api_calls', model: 'per_unit', unit_amount: '50' }, tokens],
  metadata: { segment: 'smb', seats: 3 },
} as const satisfies PlanInput

export const catalog = { meters, plans: [starter] } as const satisfies CatalogInput

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

export async function boot(billing: Billing): Promise<CatalogSyncResult> {
  await billing.meters.create(meters[1])
  await billing.plans.create(starter)
  await billing.plans.update('starter', { charges: starter.charges, tax_rates: starter.tax_rates })
  return billing.catalog.sync(catalog)
}

// @ts-expect-error a misspelled charge model does not compile
export const typo: Charge = { model: 'per_units', unit_amount: 1 }

// @ts-expect-error a meter needs an aggregation the engine knows
export const unknownAggregation: MeterInput = { code: 'x', event_name: 'x', aggregation: 'avg' }
