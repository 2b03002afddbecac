import { z } from 'zod'
import { ErrorCode } from './errors.js'
import { safeText } from './text.js'

/** Bounds on meter and charge filters, so matching one event stays a few set lookups. */
export const FILTER_LIMITS = Object.freeze({
  /** Filtered properties per meter or charge; more → `TOO_MANY_FILTERS`. */
  maxProperties: 20,
  /** Allowed values per filtered property; more → `TOO_MANY_FILTERS`. */
  maxValues: 100,
})

/**
 * `filters` of a meter or a charge: `{ property: [allowed values] }`, at most 20 properties of at
 * most 100 values each (`TOO_MANY_FILTERS`), every string under the text rule.
 *
 * @example
 * filtersSchema.parse({ model: ['large', 'xl'] })
 */
export const filtersSchema = z
  .record(
    safeText(1, 100),
    z
      .array(z.union([safeText(0, 255), z.number().finite(), z.boolean()]))
      .min(1)
      .refine((values) => values.length <= FILTER_LIMITS.maxValues, {
        message: `allows at most ${FILTER_LIMITS.maxValues} values`,
        params: { code: ErrorCode.TOO_MANY_FILTERS },
      }),
  )
  .refine((filters) => Object.keys(filters).length <= FILTER_LIMITS.maxProperties, {
    message: `filters at most ${FILTER_LIMITS.maxProperties} properties`,
    params: { code: ErrorCode.TOO_MANY_FILTERS },
  })

/**
 * `metadata` of customers, plans and subscriptions: at most 50 keys; string values up to 2,000
 * characters under the text rule.
 *
 * @example
 * metadataSchema.parse({ crm_id: 'A-19', seats: 4 })
 */
export const metadataSchema = z
  .record(safeText(1, 100), z.union([safeText(0, 2000), z.number().finite(), z.boolean(), z.null()]))
  .refine((m) => Object.keys(m).length <= 50, 'holds at most 50 keys')
