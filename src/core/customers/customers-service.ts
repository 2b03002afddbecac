import type { BillingContext } from '../context.js'
import { ConflictError, ErrorCode, NotFoundError, validationErrorFromZod } from '../errors.js'
import { type ListQuery, type Page, pageOf, parsePageQuery } from '../paging.js'
import { isLookupKey } from '../text.js'
import { isoTime } from '../time/iso-time.js'
import { assertTimezone, DEFAULT_TIMEZONE } from '../time/timezone.js'
import { customerInputSchema, customerUpdateSchema } from './customer-schema.js'
import type { Customer, CustomerInput, CustomerUpdate } from './types.js'

/**
 * `billing.customers.create`. A customer id already taken → `ConflictError`.
 *
 * @example
 * await createCustomer(ctx, { id: 'cus_123', email: 'ops@acme.ng', name: 'Acme', timezone: 'Africa/Lagos' })
 */
export async function createCustomer(ctx: BillingContext, input: CustomerInput): Promise<Customer> {
  const parsed = customerInputSchema.safeParse(input)
  if (!parsed.success) throw validationErrorFromZod(parsed.error, ErrorCode.VALIDATION_ERROR)
  const c = parsed.data
  const now = isoTime(ctx.now())
  const customer: Customer = {
    id: c.id,
    email: c.email ?? null,
    name: c.name ?? null,
    timezone: assertTimezone(c.timezone ?? DEFAULT_TIMEZONE, 'timezone'),
    address: c.address ?? null,
    tax_id: c.tax_id ?? null,
    metadata: c.metadata ?? {},
    created_at: now,
    updated_at: now,
  }
  if (!(await ctx.storage.customers.insert(customer))) {
    throw new ConflictError(`customer ${c.id} already exists`, { id: c.id, resource: 'customer' })
  }
  return customer
}

/**
 * `billing.customers.get`: a customer by id, or `NotFoundError`.
 *
 * @example
 * const customer = await getCustomer(ctx, 'cus_123')
 */
export async function getCustomer(ctx: BillingContext, id: string): Promise<Customer> {
  const customer = isLookupKey(id) ? await ctx.storage.customers.get(id) : null
  if (customer === null)
    throw new NotFoundError(`customer ${id} does not exist`, { id, resource: 'customer' })
  return withTaxDetails(customer)
}

/**
 * A stored customer as the API returns it: customers stored before addresses existed have neither
 * field, and read as null.
 *
 * @example
 * withTaxDetails(stored).tax_id // null when it was never set
 */
export function withTaxDetails(customer: Customer): Customer {
  return { ...customer, address: customer.address ?? null, tax_id: customer.tax_id ?? null }
}

/**
 * `billing.customers.update`: changes the given fields; `metadata` replaces the whole map. A new
 * `timezone` applies to subscriptions created afterwards (existing periods never move).
 *
 * @example
 * await updateCustomer(ctx, 'cus_123', { email: 'billing@acme.ng' })
 */
export async function updateCustomer(
  ctx: BillingContext,
  id: string,
  update: CustomerUpdate,
): Promise<Customer> {
  const parsed = customerUpdateSchema.safeParse(update)
  if (!parsed.success) throw validationErrorFromZod(parsed.error, ErrorCode.VALIDATION_ERROR)
  const u = parsed.data
  const current = await getCustomer(ctx, id)
  const next: Customer = {
    ...current,
    ...(u.email !== undefined ? { email: u.email } : {}),
    ...(u.name !== undefined ? { name: u.name } : {}),
    ...(u.timezone !== undefined ? { timezone: assertTimezone(u.timezone, 'timezone') } : {}),
    ...(u.address !== undefined ? { address: u.address } : {}),
    ...(u.tax_id !== undefined ? { tax_id: u.tax_id } : {}),
    ...(u.metadata !== undefined ? { metadata: u.metadata } : {}),
    updated_at: isoTime(ctx.now()),
  }
  await ctx.storage.customers.save(next)
  return next
}

/**
 * `billing.customers.list`: customers in id order, a page at a time.
 *
 * @example
 * const { data, next_cursor } = await listCustomers(ctx, { limit: 100 })
 */
export async function listCustomers(ctx: BillingContext, query: ListQuery = {}): Promise<Page<Customer>> {
  const { limit, after } = parsePageQuery(query)
  const rows = await ctx.storage.customers.list({ ...(after ? { after } : {}), limit: limit + 1 })
  return pageOf(rows.map(withTaxDetails), limit, (c) => c.id)
}
