import type { Billing } from '../src/index.js'

const VAT = [{ name: 'VAT', percent: '7.5' }]

/**
 * The product's meters and price cards as plans, defined in code: pay as you go (₦0.50 a request),
 * Starter (₦5,000 a month, first 10k calls free → ₦0.40 → ₦0.20, ₦2.00 per 1,000 tokens) and Scale
 * (₦50,000 for 200k calls in advance, then ₦0.30 a call). Amounts are kobo; VAT 7.5%.
 */
export async function definePlans(billing: Billing): Promise<void> {
  await billing.meters.create({
    code: 'api_calls',
    name: 'API calls',
    event_name: 'api_call',
    aggregation: 'count',
  })
  await billing.meters.create({
    code: 'tokens',
    name: 'Tokens',
    event_name: 'api_call',
    aggregation: 'sum',
    property: 'tokens',
  })
  await billing.plans.create({
    code: 'payg',
    name: 'Pay as you go',
    currency: 'NGN',
    interval: 'month',
    tax_rates: VAT,
    charges: [{ meter: 'api_calls', name: 'Requests at ₦0.50', model: 'per_unit', unit_amount: '50' }],
  })
  await billing.plans.create({
    code: 'starter',
    name: 'Starter',
    currency: 'NGN',
    interval: 'month',
    fixed_amount: '500000',
    tax_rates: VAT,
    charges: [
      {
        meter: 'api_calls',
        name: 'API calls (first 10k free)',
        model: 'graduated',
        tiers: [
          { up_to: 10_000, unit_amount: '0' },
          { up_to: 100_000, unit_amount: '40' },
          { up_to: null, unit_amount: '20' },
        ],
      },
      {
        meter: 'tokens',
        name: 'Tokens at ₦2.00 per 1,000',
        model: 'package',
        package_size: 1000,
        package_amount: '200',
      },
    ],
  })
  await billing.plans.create({
    code: 'scale',
    name: 'Scale',
    currency: 'NGN',
    interval: 'month',
    tax_rates: VAT,
    charges: [
      {
        meter: 'api_calls',
        name: 'API calls',
        model: 'prepaid_block',
        block_size: 200_000,
        block_amount: '5000000',
        overage_unit_amount: '30',
      },
    ],
  })
}
