import type { PropertyValue } from '../events/types.js'

/** Free-form host data kept on an object: flat string keys to scalar values. */
export type Metadata = Record<string, PropertyValue>

/** What `billing.customers.create` takes. `id` is the host's own id: the `customer_id` of events. */
export interface CustomerInput {
  id: string
  email?: string
  name?: string
  /** IANA zone (`Africa/Lagos`): a date-only `start_at` of this customer's subscriptions is local midnight there. Default `UTC`. */
  timezone?: string
  /** Billing address lines (1 to 6, up to 200 characters each), printed on invoices. */
  address?: string[]
  /** Tax identification number (TIN), printed on invoices. */
  tax_id?: string
  metadata?: Metadata
}

/** What `billing.customers.update` takes: the fields to change (`null` clears email, name, address or tax_id). */
export interface CustomerUpdate {
  email?: string | null
  name?: string | null
  timezone?: string
  address?: string[] | null
  tax_id?: string | null
  metadata?: Metadata
}

/** A customer as stored and returned. */
export interface Customer {
  id: string
  email: string | null
  name: string | null
  timezone: string
  /** Null when none was given (and on customers stored before addresses existed). */
  address: string[] | null
  tax_id: string | null
  metadata: Metadata
  created_at: string
  updated_at: string
}
