import type { Aggregation } from '../meters/types.js'

/**
 * One meter's hourly usage over whole hours `[from, to)`, for one customer or all customers.
 * `aggregation` is the meter's: it says how a bucket's rows become a quantity.
 */
export interface UsageSeriesQuery {
  meter: string
  aggregation: Aggregation
  /** One customer; all customers when omitted (their hourly quantities summed). */
  customer_id?: string
  /** Epoch ms, whole hours. */
  from: number
  to: number
}

/** One hour of a usage series. */
export interface UsagePoint {
  /** The hour's start, epoch ms. */
  hour: number
  /** Exact decimal string. */
  quantity: string
}

/** The customers with the most usage of an additive meter (`count` or `sum`) over whole hours `[from, to)`. */
export interface TopCustomersQuery {
  meter: string
  aggregation: 'count' | 'sum'
  /** Epoch ms, whole hours. */
  from: number
  to: number
  /** At most 100. */
  limit: number
}

/** One customer's usage over a window. */
export interface CustomerUsage {
  customer_id: string
  /** Exact decimal string. */
  quantity: string
}

/** Allowances of the periods containing `at` filled to at least `ratio` of their limit. */
export interface NearLimitQuery {
  /** Epoch ms. */
  at: number
  /** `(used + reserved) / (limit + granted)` at least this (0.8 = 80%). */
  ratio: number
  limit: number
  /** Keyset: allowances strictly after this one in `(fill desc, customer_id, meter)` order. */
  after?: NearLimitCursor
}

/** Where a page of {@link NearLimitQuery} ended: the last allowance's fill and key. */
export interface NearLimitCursor {
  fill: number
  customer_id: string
  meter: string
}

/** Customers whose id, email or name contains `query` (case-insensitive), in id order. */
export interface CustomerSearchQuery {
  /** Non-empty, without line breaks. */
  query: string
  limit: number
  after?: string
}

/** Finalized invoices with `finalized_at` in `[from, to)` (epoch ms). */
export interface InvoiceTotalsQuery {
  from: number
  to: number
}

/** The count and summed total (minor units) of finalized invoices of one currency and status. */
export interface InvoiceTotal {
  currency: string
  status: 'open' | 'paid' | 'uncollectible'
  count: number
  total: number
}
