import type { BillingContext } from '../context.js'
import type { Invoice } from '../invoices/types.js'
import { createTopUp } from './create-top-up.js'
import type { CreateTopUpInput } from './top-up-input.js'

/** `billing.topUps`: more prepaid blocks for the current period, bought as one-off invoices. */
export interface TopUpsApi {
  /** A top-up invoice, final at once and charged to the default payment method when there is one. */
  create(input: CreateTopUpInput): Promise<Invoice>
}

/**
 * The `topUps` namespace of a billing instance on `ctx`.
 *
 * @example
 * const topUps = topUpsNamespace(ctx)
 * const invoice = await topUps.create({ customer_id: 'cus_1', meter: 'api_calls', blocks: 1 })
 */
export function topUpsNamespace(ctx: BillingContext): TopUpsApi {
  return { create: (input) => createTopUp(ctx, input) }
}
