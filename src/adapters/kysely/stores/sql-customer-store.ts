import type { Customer } from '../../../core/customers/types.js'
import type { CustomerQuery, CustomerSearchQuery, CustomerStore } from '../../../core/ports/index.js'
import type { SqlStoreParts } from './sql-store-parts.js'

/**
 * The SQL customers: JSON documents keyed by id; insert skips a taken id.
 *
 * @example
 * await new SqlCustomerStore(parts).insert(customer) // true the first time, false after
 */
export class SqlCustomerStore implements CustomerStore {
  readonly #parts: SqlStoreParts

  constructor(parts: SqlStoreParts) {
    this.#parts = parts
  }

  insert(customer: Customer): Promise<boolean> {
    return this.#parts.ops.changed(this.#parts.sql.customers.insert(customer))
  }
  get(id: string): Promise<Customer | null> {
    return this.#parts.ops.one<Customer>(this.#parts.sql.customers.get(id))
  }
  async save(customer: Customer): Promise<void> {
    await this.#parts.ops.write(this.#parts.sql.customers.save(customer))
  }
  async list(query: CustomerQuery): Promise<Customer[]> {
    if (query.ids !== undefined && query.ids.length === 0) return []
    return this.#parts.ops.all<Customer>(this.#parts.sql.customers.page(query))
  }
  search(query: CustomerSearchQuery): Promise<Customer[]> {
    return this.#parts.ops.all<Customer>(this.#parts.sql.customers.search(query))
  }
}
