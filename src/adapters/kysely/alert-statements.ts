import type { AlertRecord } from '../../core/ports/index.js'
import { type DialectQuirks, valuesRow } from './dialect-quirks.js'
import type { SqlOp } from './sql-script.js'

/**
 * The SQL of alerts: one document per id, with its creation time (the list order) and the time
 * `tick` swept it as columns.
 *
 * @example
 * new AlertStatements(sqliteQuirks).list().sql // 'SELECT doc, swept_at FROM kobometer_alerts ORDER BY created_at, id'
 */
export class AlertStatements {
  readonly #q: DialectQuirks
  readonly #insertSql: string

  constructor(quirks: DialectQuirks) {
    this.#q = quirks
    this.#insertSql = quirks.insertSkippingExisting(
      quirks.tables.alerts,
      'id, created_at, swept_at, doc',
      valuesRow(quirks, 4),
      'id',
    )
  }

  insert(alert: AlertRecord): SqlOp {
    const { swept_at, ...doc } = alert
    return { sql: this.#insertSql, params: [alert.id, alert.created_at, swept_at, JSON.stringify(doc)] }
  }

  list(): SqlOp {
    return { sql: `SELECT doc, swept_at FROM ${this.#q.tables.alerts} ORDER BY created_at, id`, params: [] }
  }

  markSwept(id: string, at: number): SqlOp {
    const p = this.#q.placeholder
    return {
      sql: `UPDATE ${this.#q.tables.alerts} SET swept_at = ${p(1)} WHERE id = ${p(2)}`,
      params: [at, id],
    }
  }

  remove(id: string): SqlOp {
    return { sql: `DELETE FROM ${this.#q.tables.alerts} WHERE id = ${this.#q.placeholder(1)}`, params: [id] }
  }
}
