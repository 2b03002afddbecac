import type { AlertRecord, AlertStore } from '../../core/ports/index.js'
import { copy } from './documents.js'

/**
 * The memory alerts, in creation order.
 *
 * @example
 * await new MemoryAlertStore().list() // []
 */
export class MemoryAlertStore implements AlertStore {
  readonly #alerts = new Map<string, AlertRecord>()

  async insert(alert: AlertRecord): Promise<void> {
    if (!this.#alerts.has(alert.id)) this.#alerts.set(alert.id, copy(alert))
  }

  async list(): Promise<AlertRecord[]> {
    return [...this.#alerts.values()].map(copy)
  }

  async markSwept(id: string, at: number): Promise<void> {
    const found = this.#alerts.get(id)
    if (found !== undefined) found.swept_at = at
  }

  async remove(id: string): Promise<boolean> {
    return this.#alerts.delete(id)
  }
}
