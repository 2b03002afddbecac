import type { Payment } from '../../../core/payments/types.js'
import type { Outbox, PaymentCreated, PaymentQuery, PaymentStore } from '../../../core/ports/index.js'
import { reportScript, writeReportedScript } from '../notification-scripts.js'
import { toDocument } from '../row-mappers.js'
import type { SqlScript } from '../sql-script.js'
import type { StatementSet } from '../statement-set.js'
import { storageInvariant } from '../storage-errors.js'
import type { SqlStoreParts } from './sql-store-parts.js'

/**
 * The SQL payments: JSON documents, a unique key on the gateway reference, and a compare-and-set
 * UPDATE on `revision`.
 *
 * @example
 * await new SqlPaymentStore(parts).create(attempt) // { created: true, payment } the first time per reference
 */
export class SqlPaymentStore implements PaymentStore {
  readonly #parts: SqlStoreParts

  constructor(parts: SqlStoreParts) {
    this.#parts = parts
  }

  create(payment: Payment, outbox?: Outbox<Payment>): Promise<PaymentCreated> {
    return this.#parts.runner.write(() => createPaymentScript(this.#parts.sql, payment, outbox))
  }
  get(id: string): Promise<Payment | null> {
    return this.#parts.ops.one<Payment>(this.#parts.sql.payments.get(id))
  }
  getByReference(reference: string): Promise<Payment | null> {
    return this.#parts.ops.one<Payment>(this.#parts.sql.payments.byReference(reference))
  }
  list(query: PaymentQuery): Promise<Payment[]> {
    return this.#parts.ops.all<Payment>(this.#parts.sql.payments.page(query))
  }
  update(payment: Payment, outbox?: Outbox<Payment>): Promise<boolean> {
    const { sql, ops, runner } = this.#parts
    // Without an outbox the compare-and-set stays one statement.
    if (outbox === undefined) return ops.changed(sql.payments.update(payment))
    return runner.write(() => writeReportedScript(sql, sql.payments.update(payment), outbox, payment))
  }
}

/**
 * Stores a payment unless its reference is taken, else reads the one stored. A concurrent
 * creator's uncommitted row makes the insert wait for its commit, so the read that follows (a
 * fresh READ COMMITTED snapshot; SQLite's `BEGIN IMMEDIATE` excludes other writers) finds it.
 * A payment created here has its outbox records written in the same transaction.
 *
 * @example
 * const { created, payment } = yield* createPaymentScript(statements, attempt)
 */
export function* createPaymentScript(
  statements: StatementSet,
  payment: Payment,
  outbox?: Outbox<Payment>,
): SqlScript<PaymentCreated> {
  const doc = JSON.stringify(payment)
  const { affected } = yield statements.payments.insertOnce(payment, doc)
  if (affected === 1) {
    const created = JSON.parse(doc) as Payment
    yield* reportScript(statements, outbox, created)
    return { created: true, payment: created }
  }
  const { rows } = yield statements.payments.byReference(payment.reference)
  storageInvariant(
    rows[0] !== undefined,
    `payment ${payment.id} was neither inserted nor found by its reference`,
  )
  return { created: false, payment: toDocument<Payment>(rows[0]) }
}
