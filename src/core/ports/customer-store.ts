import type { Customer } from '../customers/types.js'
import type { CustomerSearchQuery } from './dashboard-queries.js'
import type { KeyPageQuery } from './storage.js'

/** A page of customers in id order, optionally only those among `ids`. */
export interface CustomerQuery extends KeyPageQuery {
  /** Only these customers (those that exist). */
  ids?: readonly string[]
}

/**
 * Customers, by id.
 *
 * @example
 * if (!(await storage.customers.insert(customer))) throw new Error('taken')
 */
export interface CustomerStore {
  /** Stores a customer. Concurrency: for one id exactly one call returns `true`; the others `false`. */
  insert(customer: Customer): Promise<boolean>
  get(id: string): Promise<Customer | null>
  /** Replaces a stored customer (last write wins). */
  save(customer: Customer): Promise<void>
  /** Customers in id order; with `ids`, one read for a page of known customers. */
  list(query: CustomerQuery): Promise<Customer[]>
  /**
   * Customers whose id, email or name contains `query.query`, compared case-insensitively (Unicode
   * lower case); `%`, `_` and every other character match only themselves. A page in id order.
   */
  search(query: CustomerSearchQuery): Promise<Customer[]>
}
