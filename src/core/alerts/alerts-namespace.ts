import type { BillingContext } from '../context.js'
import { createAlert, deleteAlert, getAlert, listAlerts } from './alerts-service.js'
import type { Alert, CreateAlertInput } from './types.js'

/** `billing.alerts`: usage thresholds that notify, once per customer and period. */
export interface AlertsApi {
  /** Watches a meter for a plan's customers, one customer, or all. */
  create(input: CreateAlertInput): Promise<Alert>
  /** Every alert, oldest first. */
  list(): Promise<Alert[]>
  get(id: string): Promise<Alert>
  /** Stops an alert. */
  delete(id: string): Promise<{ id: string; deleted: true }>
}

/**
 * The `alerts` namespace of a billing instance on `ctx`.
 *
 * @example
 * const alerts = alertsNamespace(ctx)
 * await alerts.create({ meter: 'api_calls', plan_code: 'starter', thresholds: [{ percent: 80 }] })
 */
export function alertsNamespace(ctx: BillingContext): AlertsApi {
  return {
    create: (input) => createAlert(ctx, input),
    list: () => listAlerts(ctx),
    get: (id) => getAlert(ctx, id),
    delete: (id) => deleteAlert(ctx, id),
  }
}
