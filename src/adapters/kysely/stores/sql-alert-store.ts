import type { AlertRecord, AlertStore } from '../../../core/ports/index.js'
import type { SqlStoreParts } from './sql-store-parts.js'

/**
 * The SQL alerts.
 *
 * @example
 * const alerts = await new SqlAlertStore(parts).list()
 */
export class SqlAlertStore implements AlertStore {
  readonly #parts: SqlStoreParts

  constructor(parts: SqlStoreParts) {
    this.#parts = parts
  }

  async insert(alert: AlertRecord): Promise<void> {
    await this.#parts.ops.write(this.#parts.sql.alerts.insert(alert))
  }

  async list(): Promise<AlertRecord[]> {
    const { rows } = await this.#parts.runner.read(this.#parts.sql.alerts.list())
    return rows.map((row) => {
      const swept = row.swept_at === null || row.swept_at === undefined ? null : Number(row.swept_at)
      return { ...(JSON.parse(String(row.doc)) as Omit<AlertRecord, 'swept_at'>), swept_at: swept }
    })
  }

  async markSwept(id: string, at: number): Promise<void> {
    await this.#parts.ops.write(this.#parts.sql.alerts.markSwept(id, at))
  }

  remove(id: string): Promise<boolean> {
    return this.#parts.ops.changed(this.#parts.sql.alerts.remove(id))
  }
}
