import type { BillingContext } from '../context.js'
import { ErrorCode, NotFoundError, ValidationError } from '../errors.js'
import { getInvoice } from '../invoices/invoices-service.js'
import { type ListQuery, type Page, pageOf, parsePageQuery } from '../paging.js'
import { collectInvoice } from './collect.js'
import type { Payment } from './types.js'

/** Which invoice `billing.payments.collect` charges. */
export interface CollectInput {
  invoice_id: string
}

/** What `billing.payments.list` takes: a page of one invoice's or one customer's payments (pass one). */
export interface ListPaymentsQuery extends ListQuery {
  invoice_id?: string
  customer_id?: string
}

/**
 * `billing.payments.collect`: charges an open invoice now with the customer's default payment
 * method (see `collectInvoice`) and returns the attempt: `succeeded` (invoice paid), `failed`
 * (invoice open, subscription past_due), `pending` (3-D Secure: settled by webhook or verify),
 * `processing` (the answer was lost and could not be verified yet: `tick` resolves it) or
 * `needs_attention` (money taken for another amount or currency: nothing more is charged). A
 * merchant-side gateway failure throws `GatewayError` `GATEWAY_MERCHANT_ERROR` and changes nothing.
 *
 * @example
 * const payment = await collect(ctx, { invoice_id: invoice.id })
 */
export async function collect(ctx: BillingContext, input: CollectInput): Promise<Payment | null> {
  const invoice = await getInvoice(ctx, input?.invoice_id)
  const applied = await collectInvoice(ctx, invoice, ctx.now())
  return applied?.payment ?? null
}

/**
 * `billing.payments.get`, or `NotFoundError`.
 *
 * @example
 * const payment = await getPayment(ctx, 'py_…')
 */
export async function getPayment(ctx: BillingContext, id: string): Promise<Payment> {
  const payment = typeof id === 'string' ? await ctx.storage.payments.get(id) : null
  if (payment === null) throw new NotFoundError(`payment ${id} does not exist`, { id, resource: 'payment' })
  return payment
}

/**
 * `billing.payments.list`: an invoice's or a customer's payment attempts, oldest first.
 *
 * @example
 * const { data } = await listPayments(ctx, { invoice_id: invoice.id })
 */
export async function listPayments(ctx: BillingContext, query: ListPaymentsQuery): Promise<Page<Payment>> {
  if (query?.invoice_id === undefined && query?.customer_id === undefined) {
    throw new ValidationError(ErrorCode.VALIDATION_ERROR, 'pass invoice_id or customer_id', {
      path: 'invoice_id',
    })
  }
  const { limit, after } = parsePageQuery(query)
  const rows = await ctx.storage.payments.list({
    limit: limit + 1,
    ...(after ? { after } : {}),
    ...(query.invoice_id !== undefined ? { invoice_id: query.invoice_id } : {}),
    ...(query.customer_id !== undefined ? { customer_id: query.customer_id } : {}),
  })
  return pageOf(rows, limit, (p) => p.id)
}
