import { z } from 'zod'
import type { CreateAlertInput } from '../../core/alerts/types.js'
import { NOTIFICATION_TYPES } from '../../core/notifications/types.js'
import { type AnyRoute, defineRoute } from '../route.js'
import { idParams, objects, pageOf, text } from '../schemas/common.js'

const threshold = z.union([
  z.strictObject({ percent: z.number().positive().max(1000) }),
  z.strictObject({ quantity: z.union([z.number().positive(), z.string().regex(/^\d+(\.\d+)?$/)]) }),
  z.strictObject({ amount: z.number().int().positive().meta({ description: 'Minor units' }) }),
])

/** Notifications, alerts and the gateways' webhooks. */
export const notificationRoutes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/notifications',
    operationId: 'listNotifications',
    summary: 'Notifications in the order they were written',
    tag: 'Notifications',
    scope: 'billing:read',
    query: z.strictObject({
      after: text('Only those written after this notification id').optional(),
      cursor: text('`next_cursor` of the previous page').optional(),
      type: z.enum(NOTIFICATION_TYPES).optional(),
      customer_id: text('Only this customer').optional(),
      order: z.enum(['asc', 'desc']).optional().meta({ description: '`desc`: newest first (default `asc`)' }),
      limit: z.coerce.number().int().min(1).max(1000).optional(),
    }),
    response: { status: 200, description: 'A page of notifications', schema: pageOf(objects.notification) },
    handle: (billing, { query }) => billing.notifications.list(query),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/alerts',
    operationId: 'createAlert',
    summary: 'Alert at thresholds of usage, of a limit or of the running charge',
    tag: 'Notifications',
    scope: 'billing:write',
    body: z.strictObject({
      meter: z.string().min(1).max(100),
      plan_code: z.string().min(1).max(100).optional(),
      customer_id: z.string().min(1).max(255).optional(),
      thresholds: z.array(threshold).min(1).max(10),
    }),
    response: { status: 200, description: 'The alert', schema: objects.alert },
    handle: (billing, { body }) => billing.alerts.create(body as CreateAlertInput),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/alerts',
    operationId: 'listAlerts',
    summary: 'Every alert',
    tag: 'Notifications',
    scope: 'billing:read',
    response: { status: 200, description: 'The alerts', schema: z.object({ data: z.array(objects.alert) }) },
    handle: async (billing) => ({ data: await billing.alerts.list() }),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/alerts/{id}',
    operationId: 'getAlert',
    summary: 'An alert',
    tag: 'Notifications',
    scope: 'billing:read',
    params: idParams,
    response: { status: 200, description: 'The alert', schema: objects.alert },
    handle: (billing, { params }) => billing.alerts.get(params.id),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/alerts/{id}',
    operationId: 'deleteAlert',
    summary: 'Delete an alert',
    tag: 'Notifications',
    scope: 'billing:write',
    params: idParams,
    response: {
      status: 200,
      description: 'Deleted',
      schema: z.object({ id: z.string(), deleted: z.literal(true) }),
    },
    handle: (billing, { params }) => billing.alerts.delete(params.id),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/webhooks/{gateway}',
    operationId: 'receiveGatewayWebhook',
    summary: "A payment gateway's webhook (Paystack, Flutterwave)",
    description:
      "No API key: the gateway's signature is verified on the raw body. 200 when verified (applied, duplicate or ignored), so the gateway stops; 401 when the signature does not match, so nothing changes and a misconfigured secret is visible.",
    tag: 'Webhooks',
    scope: null,
    params: z.object({
      gateway: z.string().min(1).max(100).meta({ description: 'A configured gateway name' }),
    }),
    body: 'raw',
    response: {
      status: 200,
      description: 'What the webhook did',
      schema: z.looseObject({ status: z.enum(['applied', 'duplicate', 'ignored']), event: z.string() }),
    },
    handle: (billing, { params, raw, request }) =>
      billing.webhooks.handle({ gateway: params.gateway, raw_body: raw, headers: request.headers }),
  }),
]
