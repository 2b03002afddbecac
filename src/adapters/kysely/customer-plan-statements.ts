import { containsPattern, customerSearchText } from '../../core/customers/search-text.js'
import type { Customer } from '../../core/customers/types.js'
import type { Plan } from '../../core/plans/types.js'
import type { CustomerQuery, CustomerSearchQuery, KeyPageQuery } from '../../core/ports/index.js'
import { type DialectQuirks, valuesRow } from './dialect-quirks.js'
import { keysetPage, Params } from './keyset-page.js'
import type { SqlOp } from './sql-script.js'

/**
 * The SQL of customers: one JSON document per id, with its lower-cased search text beside it.
 *
 * @example
 * const customers = new CustomerStatements(sqliteQuirks)
 * customers.insert(customer) // INSERT … ON CONFLICT (id) DO NOTHING: 1 row changed when it went in
 */
export class CustomerStatements {
  readonly #q: DialectQuirks
  readonly #insertSql: string
  readonly #saveSql: string

  constructor(quirks: DialectQuirks) {
    this.#q = quirks
    const source = valuesRow(quirks, 3)
    const table = quirks.tables.customers
    this.#insertSql = quirks.insertSkippingExisting(table, 'id, doc, search', source, 'id')
    this.#saveSql = quirks.upsert(
      table,
      'id, doc, search',
      source,
      'id',
      (_r, x) => `doc = ${x('doc')}, search = ${x('search')}`,
    )
  }

  /** Inserts a customer unless its id is taken: the changed-row count (0 or 1) tells which. */
  insert(customer: Customer): SqlOp {
    return {
      sql: this.#insertSql,
      params: [customer.id, JSON.stringify(customer), customerSearchText(customer)],
    }
  }

  /** Inserts or replaces a customer. */
  save(customer: Customer): SqlOp {
    return {
      sql: this.#saveSql,
      params: [customer.id, JSON.stringify(customer), customerSearchText(customer)],
    }
  }

  get(id: string): SqlOp {
    return {
      sql: `SELECT doc FROM ${this.#q.tables.customers} WHERE id = ${this.#q.placeholder(1)}`,
      params: [id],
    }
  }

  /** A keyset page in id order; with `ids` (not empty), only those customers. */
  page(query: CustomerQuery): SqlOp {
    const select = `SELECT doc FROM ${this.#q.tables.customers}`
    if (query.ids === undefined) return keysetPage(this.#q, select, 'id', [], query)
    const among = this.#q.textIn('id', query.ids)
    const p = this.#q.placeholder
    const params = [...among.params]
    const conditions = [among.sql]
    if (query.after !== undefined) {
      params.push(query.after)
      conditions.push(`id > ${p(params.length)}`)
    }
    params.push(query.limit)
    return {
      sql: `${select} WHERE ${conditions.join(' AND ')} ORDER BY id LIMIT ${p(params.length)}`,
      params,
    }
  }

  /**
   * A page of customers whose search text contains the query, in id order. The pattern is a
   * parameter and `!` escapes its wildcards, the same in every dialect (MySQL would read `\\` in a
   * literal as an escape itself). A scan in id order that stops at `limit` matches.
   */
  search(query: CustomerSearchQuery): SqlOp {
    const params = new Params(this.#q)
    const conditions = [`search LIKE ${params.bind(containsPattern(query.query))} ESCAPE '!'`]
    if (query.after !== undefined) conditions.push(`id > ${params.bind(query.after)}`)
    return {
      sql:
        `SELECT doc FROM ${this.#q.tables.customers} WHERE ${conditions.join(' AND ')}` +
        ` ORDER BY id LIMIT ${params.bind(query.limit)}`,
      params: params.values,
    }
  }
}

/**
 * The SQL of plan versions: immutable documents keyed by (code, version).
 *
 * @example
 * const plans = new PlanStatements(postgresQuirks('public'))
 * plans.latestPage({ limit: 10 }) // the highest version of each code, in code order
 */
export class PlanStatements {
  readonly #q: DialectQuirks
  readonly #insertSql: string

  constructor(quirks: DialectQuirks) {
    this.#q = quirks
    this.#insertSql = quirks.insertSkippingExisting(
      quirks.tables.plans,
      'code, version, doc',
      valuesRow(quirks, 3),
      'code, version',
    )
  }

  /** Inserts a version unless (code, version) exists: the changed-row count (0 or 1) tells which. */
  insert(plan: Plan): SqlOp {
    return { sql: this.#insertSql, params: [plan.code, plan.version, JSON.stringify(plan)] }
  }

  /** Every version of a code, oldest first. */
  versions(code: string): SqlOp {
    const q = this.#q
    return {
      sql: `SELECT doc FROM ${q.tables.plans} WHERE code = ${q.placeholder(1)} ORDER BY version`,
      params: [code],
    }
  }

  /** The latest version of each code, a keyset page in code order. */
  latestPage(query: KeyPageQuery): SqlOp {
    const plans = this.#q.tables.plans
    // The primary key (code, version) answers the correlated max per code.
    const latest = `p.version = (SELECT max(l.version) FROM ${plans} l WHERE l.code = p.code)`
    return keysetPage(this.#q, `SELECT p.doc FROM ${plans} p`, 'p.code', [], query, [latest])
  }
}
