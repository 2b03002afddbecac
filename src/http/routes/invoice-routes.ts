import { z } from 'zod'
import { type AnyRoute, defineRoute } from '../route.js'
import { idParams, objects, pageOf, pageQuery, text } from '../schemas/common.js'

const id = z.string().min(1).max(255)

/** Invoices, payments, top-ups and checkout links. */
export const invoiceRoutes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/invoices',
    operationId: 'listInvoices',
    summary: 'Invoices in creation order, with filters',
    tag: 'Invoices',
    scope: 'billing:read',
    query: z.strictObject({
      customer_id: text('Only this customer').optional(),
      subscription_id: text('Only this subscription').optional(),
      status: z.enum(['draft', 'open', 'paid', 'void', 'uncollectible']).optional(),
      past_due: z
        .enum(['true', 'false'])
        .optional()
        .meta({ description: '`true`: only open invoices whose due date has passed' }),
      ...pageQuery,
    }),
    response: { status: 200, description: 'A page of invoices', schema: pageOf(objects.invoice) },
    handle: (billing, { query: { past_due, ...query } }) =>
      billing.invoices.list({
        ...query,
        ...(past_due === undefined ? {} : { past_due: past_due === 'true' }),
      }),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/invoices/upcoming',
    operationId: 'previewInvoice',
    summary: "The current period's invoice as if it closed now",
    tag: 'Invoices',
    scope: 'billing:read',
    query: z.strictObject({
      customer_id: text('The customer'),
      subscription_id: text('The subscription').optional(),
    }),
    response: { status: 200, description: "A preview (status 'preview')", schema: objects.invoice },
    handle: (billing, { query }) => billing.invoices.preview(query),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/invoices/{id}.html',
    operationId: 'renderInvoice',
    summary: 'An invoice as a self-contained, printable HTML page',
    tag: 'Invoices',
    scope: 'billing:read',
    params: idParams,
    response: { status: 200, description: 'The HTML page', mediaType: 'text/html' },
    handle: async (billing, { params }) =>
      new Response(await billing.invoices.render(params.id, { format: 'html' }), {
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-store',
        },
      }),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/invoices/{id}',
    operationId: 'getInvoice',
    summary: 'An invoice',
    tag: 'Invoices',
    scope: 'billing:read',
    params: idParams,
    response: { status: 200, description: 'The invoice', schema: objects.invoice },
    handle: (billing, { params }) => billing.invoices.get(params.id),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/invoices/{id}/void',
    operationId: 'voidInvoice',
    summary: 'Void an open invoice',
    tag: 'Invoices',
    scope: 'billing:write',
    params: idParams,
    response: { status: 200, description: 'The invoice', schema: objects.invoice },
    handle: (billing, { params }) => billing.invoices.void(params.id),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/invoices/{id}/pay',
    operationId: 'payInvoice',
    summary: "Charge an open invoice now with the customer's default payment method",
    tag: 'Payments',
    scope: 'billing:write',
    params: idParams,
    response: {
      status: 200,
      description: 'The attempt (null when nothing was due)',
      schema: objects.payment.nullable(),
    },
    handle: (billing, { params }) => billing.payments.collect({ invoice_id: params.id }),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/payments',
    operationId: 'listPayments',
    summary: "One invoice's or one customer's payments",
    tag: 'Payments',
    scope: 'billing:read',
    query: z.strictObject({
      invoice_id: text('Only this invoice').optional(),
      customer_id: text('Only this customer').optional(),
      ...pageQuery,
    }),
    response: { status: 200, description: 'A page of payments', schema: pageOf(objects.payment) },
    handle: (billing, { query }) => billing.payments.list(query),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/payments/{id}',
    operationId: 'getPayment',
    summary: 'A payment',
    tag: 'Payments',
    scope: 'billing:read',
    params: idParams,
    response: { status: 200, description: 'The payment', schema: objects.payment },
    handle: (billing, { params }) => billing.payments.get(params.id),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/payments/{id}/refund',
    operationId: 'refundPayment',
    summary: 'Refund a payment, in full or in part, exactly once per key',
    tag: 'Payments',
    scope: 'billing:write',
    params: idParams,
    body: z.strictObject({
      amount: z
        .number()
        .int()
        .positive()
        .optional()
        .meta({ description: 'Minor units; default all that is left' }),
      idempotency_key: id.optional(),
    }),
    response: { status: 200, description: 'The payment with its refund', schema: objects.payment },
    handle: (billing, { params, body }) => billing.payments.refund({ payment_id: params.id, ...body }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/top_ups',
    operationId: 'createTopUp',
    summary: 'Buy more prepaid blocks this period (a one-off invoice)',
    tag: 'Payments',
    scope: 'billing:write',
    body: z.strictObject({
      customer_id: id,
      meter: z.string().min(1).max(100),
      blocks: z.number().int().min(1).max(1000).optional(),
      idempotency_key: id.optional(),
    }),
    response: {
      status: 200,
      description: "The top-up invoice (billing_reason 'top_up')",
      schema: objects.invoice,
    },
    handle: (billing, { body }) => billing.topUps.create(body),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/checkout',
    operationId: 'createCheckout',
    summary: "A hosted payment page for an open invoice (the gateway's checkout)",
    tag: 'Payments',
    scope: 'billing:write',
    body: z.strictObject({
      invoice_id: id,
      gateway: z.string().min(1).max(100),
      callback_url: z.string().min(1).max(2048),
      email: z.string().max(254).optional(),
    }),
    response: {
      status: 200,
      description: 'Where to send the customer',
      schema: z.looseObject({ url: z.string(), reference: z.string() }),
    },
    handle: (billing, { body }) => billing.checkout.create(body),
  }),
]
