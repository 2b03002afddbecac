import type { BillingContext } from '../context.js'
import type { ListQuery, Page } from '../paging.js'
import { createCustomer, getCustomer, listCustomers, updateCustomer } from './customers-service.js'
import { type CustomerSearchInput, searchCustomers } from './search-customers.js'
import type { Customer, CustomerInput, CustomerUpdate } from './types.js'

/** `billing.customers`: who is billed. */
export interface CustomersApi {
  /** Creates a customer; an id already taken → `ConflictError`. */
  create(input: CustomerInput): Promise<Customer>
  /** A customer by id, or `NotFoundError`. */
  get(id: string): Promise<Customer>
  /** Changes the given fields; `metadata` replaces the whole map. */
  update(id: string, update: CustomerUpdate): Promise<Customer>
  /** Customers in id order, a page at a time. */
  list(query?: ListQuery): Promise<Page<Customer>>
  /** Customers whose id, email or name contains the query (any case), in id order, a page at a time. */
  search(input: CustomerSearchInput): Promise<Page<Customer>>
}

/**
 * The `customers` namespace of a billing instance on `ctx`.
 *
 * @example
 * const customers = customersNamespace(ctx)
 * await customers.create({ id: 'cus_123', email: 'ops@acme.ng', timezone: 'Africa/Lagos' })
 */
export function customersNamespace(ctx: BillingContext): CustomersApi {
  return {
    create: (input) => createCustomer(ctx, input),
    get: (id) => getCustomer(ctx, id),
    update: (id, update) => updateCustomer(ctx, id, update),
    list: (query) => listCustomers(ctx, query),
    search: (input) => searchCustomers(ctx, input),
  }
}
