import type { AlertThreshold } from '../alerts/types.js'

/** An alert as stored. */
export interface AlertRecord {
  id: string
  meter: string
  plan_code: string | null
  customer_id: string | null
  thresholds: AlertThreshold[]
  /** Epoch ms. */
  created_at: number
  /**
   * Epoch ms at which `tick` applied the alert to every customer it covers (so a threshold already
   * passed fires without waiting for usage), or null until then.
   */
  swept_at: number | null
}

/**
 * Alert definitions. Few and small: every process reads them all and keeps them.
 *
 * @example
 * await storage.alerts.insert(alert)
 * const all = await storage.alerts.list()
 */
export interface AlertStore {
  /** Stores a new alert. */
  insert(alert: AlertRecord): Promise<void>
  /** Every alert, oldest first. */
  list(): Promise<AlertRecord[]>
  /** Records that `tick` swept the alert at `at`. */
  markSwept(id: string, at: number): Promise<void>
  /** Deletes an alert; answers whether it existed. */
  remove(id: string): Promise<boolean>
}
