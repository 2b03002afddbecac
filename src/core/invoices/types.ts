import type { ErrorCode } from '../errors.js'
import type { TierBreakdown } from '../pricing/types.js'
import type { SellerDetails } from './party-details.js'

/** Where an invoice is in its life. `draft` changes with late events; from `open` on it is final. */
export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'void' | 'uncollectible'

/**
 * Why an invoice exists: the first one of a subscription, a period end, a cancellation, or a
 * top-up bought during a period (`billing.topUps.create`).
 */
export type BillingReason = 'subscription_create' | 'subscription_cycle' | 'subscription_cancel' | 'top_up'

/**
 * What a top-up invoice buys: `blocks` prepaid blocks of `meter`, added to the customer's allowance
 * of the period it was bought in (the invoice's `period_start`..`period_end`) when it is paid.
 */
export interface TopUpDetails {
  meter: string
  blocks: number
  /** `blocks` × the block size, as an exact decimal string: what payment adds to the allowance. */
  quantity: string
}

/** One line of an invoice. Amounts are integer minor units; `precise_amount` keeps the exact value. */
export interface InvoiceLine {
  type: 'fixed' | 'usage' | 'minimum' | 'tax' | 'credit'
  description: string
  meter?: string
  /** The quantity priced, as an exact decimal string. */
  quantity?: string
  amount: number
  precise_amount: string
  tiers?: TierBreakdown[]
  /** The service period the line is for (the next period for fees billed in advance). */
  period_start?: string
  period_end?: string
  /** For tax lines: the rate applied, in percent. */
  tax_percent?: string
}

/** An invoice as returned by `billing.invoices.*`. */
export interface Invoice {
  id: string
  /** Assigned at finalization from a gapless sequence (`INV-000001`); null while a draft. */
  number: string | null
  customer_id: string
  subscription_id: string
  plan_code: string
  plan_version: number
  currency: string
  status: InvoiceStatus
  billing_reason: BillingReason
  /** The usage period closed by this invoice (equal for the first invoice, which bills no usage). */
  period_start: string
  period_end: string
  lines: InvoiceLine[]
  subtotal: number
  tax: number
  total: number
  /**
   * What the invoice asks for, fixed when it is finalized: it does not go down as money comes in.
   * What is still owed is `amount_due - amount_paid` (what the printed invoice calls `Amount due`).
   */
  amount_due: number
  /** Collected so far, integer minor units: `amount_due` once the invoice is `paid`. */
  amount_paid: number
  created_at: string
  updated_at: string
  finalized_at: string | null
  due_at: string | null
  voided_at: string | null
  paid_at: string | null
  /** Charge attempts made to collect it. */
  attempt_count: number
  /** When collection is tried again after a failure; null when none is scheduled. */
  next_payment_attempt: string | null
  /** The subscription's IANA zone: rendered dates are calendar dates there. */
  timezone: string
  /** Name and email of the customer when the invoice was made, for rendering. */
  customer_name: string | null
  customer_email: string | null
  /** The customer's address lines and tax id when the invoice was made (absent on older invoices). */
  customer_address?: string[] | null
  customer_tax_id?: string | null
  /**
   * The supplier, copied from `createBilling({ seller })` when the invoice was finalized: an issued
   * invoice keeps it whatever the configuration says later. Absent on drafts and previews (they
   * print the current configuration) and on invoices finalized with no seller configured.
   */
  seller?: SellerDetails | null
  /** Set on top-up invoices only (`billing_reason: 'top_up'`); absent on every other invoice. */
  top_up?: TopUpDetails
}

/**
 * A subscription period a run could not invoice (e.g. `AMOUNT_OVERFLOW`: its usage prices beyond
 * what integer minor units can carry). Nothing of it was created or finalized and its period was
 * not closed; every later run tries it again.
 */
export interface InvoiceRunFailure {
  subscription_id: string
  customer_id: string
  /** The period of the invoice that could not be made (equal for a first invoice). */
  period_start: string
  period_end: string
  /** The stable code of the error, as `BillingError.code`. */
  code: ErrorCode
  message: string
}

/** A preview: an invoice computed now and never stored. */
export type InvoicePreview = Omit<Invoice, 'status'> & { status: 'preview' }

/** What `billing.invoices.run` returns. */
export interface InvoiceRunResult {
  created: Invoice[]
  finalized: Invoice[]
  /** One entry per subscription period that failed; the other subscriptions were invoiced. */
  failed: InvoiceRunFailure[]
}

/** The content of an invoice, as computed for a subscription boundary. */
export type InvoiceContent = Pick<
  Invoice,
  'plan_code' | 'plan_version' | 'lines' | 'subtotal' | 'tax' | 'total' | 'amount_due'
>
