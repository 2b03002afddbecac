import type { Customer } from './types.js'

/**
 * What a customer search matches against: id, email and name in lower case, one per line. A search
 * query holds no line break, so no match spans two of them.
 *
 * @example
 * customerSearchText({ id: 'cus_1', email: 'Ada@Example.com', name: null } as Customer) // 'cus_1\nada@example.com\n'
 */
export function customerSearchText(customer: Pick<Customer, 'id' | 'email' | 'name'>): string {
  return `${customer.id}\n${customer.email ?? ''}\n${customer.name ?? ''}`.toLowerCase()
}

/**
 * The LIKE pattern finding `query` anywhere in a search text, with `!` as the escape character:
 * `%`, `_` and `!` in the query match only themselves.
 *
 * @example
 * containsPattern('50%_Off') // '%50!%!_off%'
 */
export function containsPattern(query: string): string {
  return `%${query.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`
}
