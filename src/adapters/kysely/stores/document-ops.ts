import { toDocument } from '../row-mappers.js'
import type { SqlOp, SqlResult, SqlScript } from '../sql-script.js'
import type { TransactionRunner } from '../transaction-runner.js'

/**
 * The single-statement document operations the SQL storage's documents share: one write statement
 * as its own transaction (retried after a lock conflict), and reads of `doc` columns.
 *
 * @example
 * const ops = new DocumentOps(runner)
 * await ops.changed(statements.customers.insert(customer)) // true when one row went in
 * await ops.one<Customer>(statements.customers.get('c_1'))
 */
export class DocumentOps {
  readonly #runner: TransactionRunner

  constructor(runner: TransactionRunner) {
    this.#runner = runner
  }

  /** Runs one write statement as its own transaction. */
  write(op: SqlOp): Promise<SqlResult> {
    return this.#runner.write(function* (): SqlScript<SqlResult> {
      return yield op
    })
  }

  /** Whether one write statement changed exactly one row. */
  async changed(op: SqlOp): Promise<boolean> {
    return (await this.write(op)).affected === 1
  }

  /** The document of the first row read, or null. */
  async one<T>(op: SqlOp): Promise<T | null> {
    const { rows } = await this.#runner.read(op)
    return rows[0] === undefined ? null : toDocument<T>(rows[0])
  }

  /** The documents of every row read, in order. */
  async all<T>(op: SqlOp): Promise<T[]> {
    const { rows } = await this.#runner.read(op)
    return rows.map((row) => toDocument<T>(row))
  }
}
