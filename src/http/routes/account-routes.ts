import { z } from 'zod'
import { customerInputSchema, customerUpdateSchema } from '../../core/customers/customer-schema.js'
import {
  cancelSchema,
  changePlanSchema,
  subscriptionInputSchema,
} from '../../core/subscriptions/subscription-schema.js'
import type { SubscriptionInput } from '../../core/subscriptions/types.js'
import { type AnyRoute, defineRoute } from '../route.js'
import { idParams, objects, pageOf, pageQuery, text } from '../schemas/common.js'

const listQuery = z.strictObject(pageQuery)

/** Customers, plans (read) and subscriptions. */
export const accountRoutes: AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/customers',
    operationId: 'createCustomer',
    summary: 'Create a customer',
    tag: 'Customers',
    scope: 'billing:write',
    body: customerInputSchema,
    response: { status: 200, description: 'The customer', schema: objects.customer },
    handle: (billing, { body }) => billing.customers.create(body),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/customers',
    operationId: 'listCustomers',
    summary: 'Customers, by id',
    tag: 'Customers',
    scope: 'billing:read',
    query: listQuery,
    response: { status: 200, description: 'A page of customers', schema: pageOf(objects.customer) },
    handle: (billing, { query }) => billing.customers.list(query),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/customers/{id}',
    operationId: 'getCustomer',
    summary: 'A customer',
    tag: 'Customers',
    scope: 'billing:read',
    params: idParams,
    response: { status: 200, description: 'The customer', schema: objects.customer },
    handle: (billing, { params }) => billing.customers.get(params.id),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/customers/{id}',
    operationId: 'updateCustomer',
    summary: 'Update a customer (only the fields sent; null clears)',
    tag: 'Customers',
    scope: 'billing:write',
    params: idParams,
    body: customerUpdateSchema,
    response: { status: 200, description: 'The customer', schema: objects.customer },
    handle: (billing, { params, body }) => billing.customers.update(params.id, body),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/plans',
    operationId: 'listPlans',
    summary: 'Plans, each at its latest version',
    tag: 'Plans',
    scope: 'billing:read',
    query: listQuery,
    response: { status: 200, description: 'A page of plans', schema: pageOf(objects.plan) },
    handle: (billing, { query }) => billing.plans.list(query),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/plans/{code}',
    operationId: 'getPlan',
    summary: 'A plan, at its latest version or the one asked for',
    tag: 'Plans',
    scope: 'billing:read',
    params: z.object({ code: z.string().min(1).max(100).meta({ description: 'The plan code' }) }),
    query: z.strictObject({
      version: z.coerce
        .number()
        .int()
        .min(1)
        .optional()
        .meta({ description: 'A version; default the latest' }),
    }),
    response: { status: 200, description: 'The plan', schema: objects.plan },
    handle: (billing, { params, query }) => billing.plans.get(params.code, query.version),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/subscriptions',
    operationId: 'createSubscription',
    summary: 'Subscribe a customer to a plan',
    tag: 'Subscriptions',
    scope: 'billing:write',
    body: subscriptionInputSchema,
    response: { status: 200, description: 'The subscription', schema: objects.subscription },
    handle: (billing, { body }) => billing.subscriptions.create(body as SubscriptionInput),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/subscriptions',
    operationId: 'listSubscriptions',
    summary: 'Subscriptions, optionally of one customer',
    tag: 'Subscriptions',
    scope: 'billing:read',
    query: z.strictObject({ customer_id: text('Only this customer').optional(), ...pageQuery }),
    response: { status: 200, description: 'A page of subscriptions', schema: pageOf(objects.subscription) },
    handle: (billing, { query }) => billing.subscriptions.list(query),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/subscriptions/{id}',
    operationId: 'getSubscription',
    summary: 'A subscription',
    tag: 'Subscriptions',
    scope: 'billing:read',
    params: idParams,
    response: { status: 200, description: 'The subscription', schema: objects.subscription },
    handle: (billing, { params }) => billing.subscriptions.get(params.id),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/subscriptions/{id}/cancel',
    operationId: 'cancelSubscription',
    summary: 'Cancel a subscription now or at the end of its period',
    tag: 'Subscriptions',
    scope: 'billing:write',
    params: idParams,
    body: cancelSchema,
    response: { status: 200, description: 'The subscription', schema: objects.subscription },
    handle: (billing, { params, body }) => billing.subscriptions.cancel(params.id, body),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/subscriptions/{id}/change_plan',
    operationId: 'changeSubscriptionPlan',
    summary: 'Move a subscription to another plan at the end of its period',
    tag: 'Subscriptions',
    scope: 'billing:write',
    params: idParams,
    body: changePlanSchema,
    response: {
      status: 200,
      description: 'The subscription, with its pending change',
      schema: objects.subscription,
    },
    handle: (billing, { params, body }) => billing.subscriptions.changePlan(params.id, body),
  }),
]
