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
  metadata?: Metadata
}

/** What `billing.customers.update` takes: the fields to change (`null` clears email or name). */
export interface CustomerUpdate {
  email?: string | null
  name?: string | null
  timezone?: string
  metadata?: Metadata
}

/** A customer as stored and returned. */
export interface Customer {
  id: string
  email: string | null
  name: string | null
  timezone: string
  metadata: Metadata
  created_at: string
  updated_at: string
}
