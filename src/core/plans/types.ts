import type { Metadata } from '../customers/types.js'
import type { PlanLimit } from '../entitlements/types.js'
import type { Amount } from '../money/amount.js'
import type { Interval } from '../periods/index.js'
import type { Charge } from '../pricing/types.js'

/** A tax applied once to an invoice's subtotal: `{ name: 'VAT', percent: '7.5' }`. */
export interface TaxRate {
  name: string
  /** Percent as a decimal string or number, 0–100. */
  percent: Amount
}

/** One charge of a plan: a pricing model over one meter, one invoice line per period. */
export type PlanCharge = Charge & {
  /** The meter whose usage this charge prices. */
  meter: string
  /** Optional: when given it must be the plan's currency. */
  currency?: string
}

/** What `billing.plans.create` takes. */
export interface PlanInput {
  code: string
  name: string
  description?: string
  /** ISO 4217 code; every amount of the plan is in its minor unit. */
  currency: string
  interval: Interval
  /** Intervals per period (default 1). */
  interval_count?: number
  /** Free days before the first paid period (default 0). */
  trial_days?: number
  /** Flat fee per period, billed in advance, in minor units. */
  fixed_amount?: Amount
  /** Minimum usage charges per period: a true-up line makes up the difference. */
  minimum_amount?: Amount
  tax_rates?: readonly TaxRate[]
  charges?: readonly PlanCharge[]
  /** Each period's allowance of a meter: `{ meter, quantity, on_exceed: 'reject' | 'allow' }`. */
  limits?: readonly PlanLimit[]
  metadata?: Readonly<Metadata>
}

/** What `billing.plans.update` takes: a new version with these fields changed. */
export type PlanUpdate = Partial<
  Pick<
    PlanInput,
    | 'name'
    | 'description'
    | 'trial_days'
    | 'fixed_amount'
    | 'minimum_amount'
    | 'tax_rates'
    | 'charges'
    | 'limits'
    | 'metadata'
  >
>

/** One version of a plan, as stored and returned. Versions are immutable. */
export interface Plan {
  code: string
  version: number
  name: string
  description: string | null
  currency: string
  interval: Interval
  interval_count: number
  trial_days: number
  fixed_amount: string | null
  minimum_amount: string | null
  tax_rates: Array<{ name: string; percent: string }>
  charges: PlanCharge[]
  /** Quantities as decimal strings. Versions stored before limits existed read as `[]`. */
  limits: Array<{ meter: string; quantity: string; on_exceed: 'reject' | 'allow' }>
  metadata: Metadata
  created_at: string
}
