import { z } from 'zod'
import type { BillingContext } from '../context.js'
import { validationErrorFromZod } from '../errors.js'
import { type Page, pageOf, parsePageQuery } from '../paging.js'
import { safeText } from '../text.js'
import { withTaxDetails } from './customers-service.js'
import type { Customer } from './types.js'

/** What `billing.customers.search` takes: the text to find and a page. */
export interface CustomerSearchInput {
  /** 1 to 255 characters, no line breaks; matched case-insensitively anywhere in id, email or name. */
  query: string
  /** Page size, 1 to 1,000; default 100. */
  limit?: number
  /** `next_cursor` of the previous page. */
  cursor?: string
}

const searchSchema = z
  .object({
    query: safeText(1, 255).refine((q) => !/[\r\n]/.test(q), 'must not hold a line break'),
    limit: z.unknown().optional(),
    cursor: z.unknown().optional(),
  })
  .strict()

/**
 * `billing.customers.search`: customers whose id, email or name contains `query`, ignoring case;
 * `%` and `_` are plain characters. A page in id order; a storage scans customers in id order and
 * stops once the page is full.
 *
 * @example
 * const { data } = await searchCustomers(ctx, { query: 'acme' })
 * data.map((c) => c.id) // ['cus_acme', 'cus_acme_eu']
 */
export async function searchCustomers(
  ctx: BillingContext,
  input: CustomerSearchInput,
): Promise<Page<Customer>> {
  const parsed = searchSchema.safeParse(input)
  if (!parsed.success) throw validationErrorFromZod(parsed.error)
  const { limit, after } = parsePageQuery(input)
  const rows = await ctx.storage.customers.search({
    query: parsed.data.query,
    limit: limit + 1,
    ...(after === undefined ? {} : { after }),
  })
  return pageOf(rows.map(withTaxDetails), limit, (c) => c.id)
}
