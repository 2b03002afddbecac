import type { Payment, PaymentMethodRecord } from '../../core/payments/types.js'
import type { PaymentQuery } from '../../core/ports/index.js'
import { type DialectQuirks, valuesRow } from './dialect-quirks.js'
import { keysetPage, type PageFilter } from './keyset-page.js'
import type { SqlOp } from './sql-script.js'

/**
 * The SQL of payment methods: a JSON document per id, with `customer_id` broken out for listing.
 *
 * @example
 * const methods = new PaymentMethodStatements(sqliteQuirks)
 * methods.ofCustomer('c_1') // SELECT doc FROM kobometer_payment_methods WHERE customer_id = ? ORDER BY id
 */
export class PaymentMethodStatements {
  readonly #q: DialectQuirks
  readonly #insertSql: string
  readonly #saveSql: string

  constructor(quirks: DialectQuirks) {
    this.#q = quirks
    const table = quirks.tables.paymentMethods
    const source = valuesRow(quirks, 3)
    this.#insertSql = quirks.insertSkippingExisting(table, 'id, customer_id, doc', source, 'id')
    this.#saveSql = quirks.upsert(table, 'id, customer_id, doc', source, 'id', (_r, x) => `doc = ${x('doc')}`)
  }

  /** Inserts a method unless its id is taken: the changed-row count (0 or 1) tells which. */
  insert(method: PaymentMethodRecord): SqlOp {
    return { sql: this.#insertSql, params: [method.id, method.customer_id, JSON.stringify(method)] }
  }

  /** Inserts or replaces a method. */
  save(method: PaymentMethodRecord): SqlOp {
    return { sql: this.#saveSql, params: [method.id, method.customer_id, JSON.stringify(method)] }
  }

  get(id: string): SqlOp {
    const q = this.#q
    return { sql: `SELECT doc FROM ${q.tables.paymentMethods} WHERE id = ${q.placeholder(1)}`, params: [id] }
  }

  /** Every method of a customer, detached ones included, in id (creation) order. */
  ofCustomer(customerId: string): SqlOp {
    const q = this.#q
    return {
      sql: `SELECT doc FROM ${q.tables.paymentMethods} WHERE customer_id = ${q.placeholder(1)} ORDER BY id`,
      params: [customerId],
    }
  }
}

/**
 * The SQL of payment attempts: a JSON document per id, with the unique `reference` (idempotent
 * creation), the listing filters and the compare-and-set `revision` broken out.
 *
 * @example
 * const payments = new PaymentStatements(mysqlQuirks)
 * payments.insertOnce(payment, JSON.stringify(payment)) // INSERT IGNORE …: 1 row changed when its reference was free
 */
export class PaymentStatements {
  readonly #q: DialectQuirks
  readonly #insertSql: string

  constructor(quirks: DialectQuirks) {
    this.#q = quirks
    this.#insertSql = quirks.insertSkippingExisting(
      quirks.tables.payments,
      'id, reference, invoice_id, customer_id, revision, doc',
      valuesRow(quirks, 6),
      'reference',
    )
  }

  /** Inserts a payment as `doc` unless its reference is taken: the changed-row count (0 or 1) tells which. */
  insertOnce(payment: Payment, doc: string): SqlOp {
    const { id, reference, invoice_id, customer_id, revision } = payment
    return { sql: this.#insertSql, params: [id, reference, invoice_id, customer_id, revision, doc] }
  }

  get(id: string): SqlOp {
    const q = this.#q
    return { sql: `SELECT doc FROM ${q.tables.payments} WHERE id = ${q.placeholder(1)}`, params: [id] }
  }

  byReference(reference: string): SqlOp {
    const q = this.#q
    return {
      sql: `SELECT doc FROM ${q.tables.payments} WHERE reference = ${q.placeholder(1)}`,
      params: [reference],
    }
  }

  /**
   * Replaces the document only if the stored revision is the one `payment` was derived from. The
   * new revision always differs from the old, so the changed-row count is 1 exactly when it won.
   */
  update(payment: Payment): SqlOp {
    const p = this.#q.placeholder
    return {
      sql: `UPDATE ${this.#q.tables.payments} SET doc = ${p(1)}, revision = ${p(2)} WHERE id = ${p(3)} AND revision = ${p(4)}`,
      params: [JSON.stringify(payment), payment.revision, payment.id, payment.revision - 1],
    }
  }

  page(query: PaymentQuery): SqlOp {
    const filters: PageFilter[] = []
    if (query.invoice_id !== undefined) filters.push(['invoice_id', '=', query.invoice_id])
    if (query.customer_id !== undefined) filters.push(['customer_id', '=', query.customer_id])
    return keysetPage(this.#q, `SELECT doc FROM ${this.#q.tables.payments}`, 'id', filters, query)
  }
}
