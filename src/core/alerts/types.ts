import type { RoundingMode } from '../money/rounding.js'
import type { Charge } from '../pricing/types.js'

/**
 * One threshold of an alert: a percentage of the period's limit, a quantity of the meter, or the
 * period's running charge for the meter in minor units.
 */
export type AlertThreshold = { percent: number } | { quantity: number | string } | { amount: number }

/** What `billing.alerts.create` takes. */
export interface CreateAlertInput {
  /** A `count` or `sum` meter. */
  meter: string
  /** Only customers whose subscription is on this plan. */
  plan_code?: string
  /** Only this customer. With neither `plan_code` nor `customer_id`, every customer. */
  customer_id?: string
  /** 1 to 10 thresholds; each fires once per customer and period. */
  thresholds: AlertThreshold[]
}

/** An alert as `alerts.create`, `alerts.get` and `alerts.list` return it. */
export interface Alert {
  /** `alr_…`. */
  id: string
  meter: string
  plan_code: string | null
  customer_id: string | null
  thresholds: AlertThreshold[]
  created_at: string
}

/**
 * One threshold of one alert as an allowance carries it: evaluated in the transaction that changes
 * the allowance, and marked when it fires so it never fires again in that period.
 */
export interface AlertMark {
  /** `<alert id>:<threshold index>`: unique within an allowance. */
  id: string
  alert_id: string
  threshold: AlertThreshold
  /**
   * For an `amount` threshold: the plan's charges on the meter (priced on the period's quantity)
   * the plan's currency and the billing's rounding.
   */
  pricing?: { charges: Charge[]; currency: string; rounding: RoundingMode }
  /** Epoch ms it fired in this allowance's period, or null. */
  fired_at: number | null
}
