import { customerSearchText } from '../../core/customers/search-text.js'
import type { Customer } from '../../core/customers/types.js'
import type { CustomerQuery, CustomerSearchQuery, CustomerStore } from '../../core/ports/index.js'
import { copy, copyOrNull, page } from './documents.js'

/** The memory customers, by id. */
export class MemoryCustomerStore implements CustomerStore {
  readonly #rows = new Map<string, Customer>()

  async insert(customer: Customer): Promise<boolean> {
    if (this.#rows.has(customer.id)) return false
    this.#rows.set(customer.id, copy(customer))
    return true
  }
  async get(id: string): Promise<Customer | null> {
    return copyOrNull(this.#rows.get(id))
  }
  async save(customer: Customer): Promise<void> {
    this.#rows.set(customer.id, copy(customer))
  }
  async list(query: CustomerQuery): Promise<Customer[]> {
    if (query.ids === undefined) return page(this.#rows.values(), (c) => c.id, query)
    const ids = new Set(query.ids)
    return page(
      this.#rows.values(),
      (c) => c.id,
      query,
      (c) => ids.has(c.id),
    )
  }
  async search(query: CustomerSearchQuery): Promise<Customer[]> {
    const wanted = query.query.toLowerCase()
    return page(
      this.#rows.values(),
      (c) => c.id,
      query,
      (c) => customerSearchText(c).includes(wanted),
    )
  }
}
