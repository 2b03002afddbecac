import { z } from 'zod'

/**
 * A query parameter holding one string (a repeated parameter is refused before validation).
 *
 * @example
 * z.object({ customer_id: text('The customer') })
 */
export function text(description: string) {
  return z.string().min(1).max(1024).meta({ description })
}

/** An ISO-8601 instant (any number of fractional digits, `Z` or an offset) or epoch milliseconds. */
export const instant = z.string().min(1).max(64).meta({
  description: 'An ISO-8601 instant with a zone (`2026-11-30T09:00:00.123456789Z`) or epoch milliseconds',
})

/** `limit` and `cursor` of every list. */
export const pageQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .meta({ description: 'Page size, 1 to 1,000; default 100' }),
  cursor: z.string().min(1).max(1024).optional().meta({ description: '`next_cursor` of the previous page' }),
}

/**
 * A page of a list: `{ data, has_more, next_cursor }`.
 *
 * @example
 * pageOf(customerSchema)
 */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), has_more: z.boolean(), next_cursor: z.string().nullable() })
}

/** The `{ id }` path parameter. */
export const idParams = z.object({ id: z.string().min(1).max(255).meta({ description: 'The object id' }) })

/** The error answer of every route. */
export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable UPPER_SNAKE code: branch on it' }),
      message: z.string().meta({ description: 'What went wrong, in words' }),
      path: z.string().optional().meta({ description: 'The offending field, in `a.b[2].c` form' }),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'Error' })

/**
 * An object the API returns with the fields it always has; the README and the TypeScript types
 * describe the rest.
 *
 * @example
 * resource('Customer', { id: z.string(), email: z.string().nullable() })
 */
export function resource<S extends z.ZodRawShape>(id: string, shape: S) {
  return z.looseObject(shape).meta({ id })
}

const amount = z
  .union([z.string(), z.number()])
  .meta({ description: 'Minor units: a decimal string or a number' })

/** Output schemas of the billing objects. */
export const objects = {
  customer: resource('Customer', {
    id: z.string(),
    email: z.string().nullable(),
    name: z.string().nullable(),
    created_at: z.string(),
  }),
  meter: resource('Meter', { code: z.string(), event_name: z.string(), aggregation: z.string() }),
  plan: resource('Plan', {
    code: z.string(),
    version: z.number().int(),
    currency: z.string(),
    interval: z.string(),
    charges: z.array(
      z.looseObject({ meter: z.string().optional(), model: z.string(), unit_amount: amount.optional() }),
    ),
  }),
  subscription: resource('Subscription', {
    id: z.string(),
    customer_id: z.string(),
    plan_code: z.string(),
    status: z.string(),
    current_period_start: z.string(),
    current_period_end: z.string(),
  }),
  invoice: resource('Invoice', {
    id: z.string(),
    number: z.string().nullable(),
    customer_id: z.string(),
    status: z.string(),
    currency: z.string(),
    period_start: z.string(),
    period_end: z.string(),
    lines: z.array(z.looseObject({ type: z.string(), description: z.string(), amount: z.number().int() })),
    subtotal: z.number().int(),
    tax: z.number().int(),
    total: z.number().int(),
    amount_due: z.number().int(),
  }),
  payment: resource('Payment', {
    id: z.string(),
    invoice_id: z.string(),
    status: z.string(),
    amount: z.number().int(),
    currency: z.string(),
  }),
  notification: resource('Notification', {
    id: z.string(),
    type: z.string(),
    created_at: z.string(),
    customer_id: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
  }),
  alert: resource('Alert', {
    id: z.string(),
    meter: z.string(),
    thresholds: z.array(z.record(z.string(), z.union([z.number(), z.string()]))),
  }),
}
