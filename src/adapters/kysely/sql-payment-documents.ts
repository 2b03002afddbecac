import type { Payment, PaymentMethodRecord } from '../../core/payments/types.js'
import type { PaymentQuery } from '../../core/ports.js'
import { DocumentOps } from './document-ops.js'
import { toDocument } from './row-mappers.js'
import type { SqlScript } from './sql-script.js'
import type { StatementSet } from './statement-set.js'
import { storageInvariant } from './storage-errors.js'
import type { TransactionRunner } from './transaction-runner.js'

/** What `createPayment` did: whether this call stored it, and the payment stored under its reference. */
export interface PaymentCreated {
  created: boolean
  payment: Payment
}

/**
 * The payments part of the SQL storage: payment methods and payment attempts as JSON documents,
 * each promise kept by one statement (insert skipping a taken reference, compare-and-set UPDATE)
 * or one write transaction. `KyselyStorage` forwards to it and wraps failures.
 *
 * @example
 * const payments = new SqlPaymentDocuments(runner, statementSet(sqliteQuirks))
 * await payments.createPayment(attempt) // { created: true, payment } the first time per reference
 */
export class SqlPaymentDocuments {
  readonly #runner: TransactionRunner
  readonly #sql: StatementSet
  readonly #ops: DocumentOps

  constructor(runner: TransactionRunner, statements: StatementSet) {
    this.#runner = runner
    this.#sql = statements
    this.#ops = new DocumentOps(runner)
  }

  async insertPaymentMethod(method: PaymentMethodRecord): Promise<void> {
    await this.#ops.write(this.#sql.paymentMethods.insert(method))
  }
  getPaymentMethod(id: string): Promise<PaymentMethodRecord | null> {
    return this.#ops.one<PaymentMethodRecord>(this.#sql.paymentMethods.get(id))
  }
  listPaymentMethods(customerId: string): Promise<PaymentMethodRecord[]> {
    return this.#ops.all<PaymentMethodRecord>(this.#sql.paymentMethods.ofCustomer(customerId))
  }
  async savePaymentMethod(method: PaymentMethodRecord): Promise<void> {
    await this.#ops.write(this.#sql.paymentMethods.save(method))
  }

  createPayment(payment: Payment): Promise<PaymentCreated> {
    return this.#runner.write(() => createPaymentScript(this.#sql, payment))
  }
  getPayment(id: string): Promise<Payment | null> {
    return this.#ops.one<Payment>(this.#sql.payments.get(id))
  }
  getPaymentByReference(reference: string): Promise<Payment | null> {
    return this.#ops.one<Payment>(this.#sql.payments.byReference(reference))
  }
  listPayments(query: PaymentQuery): Promise<Payment[]> {
    return this.#ops.all<Payment>(this.#sql.payments.page(query))
  }
  updatePayment(payment: Payment): Promise<boolean> {
    return this.#ops.changed(this.#sql.payments.update(payment))
  }
}

/**
 * Stores a payment unless its reference is taken, else reads the one stored. A concurrent
 * creator's uncommitted row makes the insert wait for its commit, so the read that follows (a
 * fresh READ COMMITTED snapshot; SQLite's `BEGIN IMMEDIATE` excludes other writers) finds it.
 *
 * @example
 * const { created, payment } = yield* createPaymentScript(statements, attempt)
 */
export function* createPaymentScript(statements: StatementSet, payment: Payment): SqlScript<PaymentCreated> {
  const doc = JSON.stringify(payment)
  const { affected } = yield statements.payments.insertOnce(payment, doc)
  if (affected === 1) return { created: true, payment: JSON.parse(doc) as Payment }
  const { rows } = yield statements.payments.byReference(payment.reference)
  storageInvariant(
    rows[0] !== undefined,
    `payment ${payment.id} was neither inserted nor found by its reference`,
  )
  return { created: false, payment: toDocument<Payment>(rows[0]) }
}
