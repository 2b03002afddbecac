import { z } from 'zod'
import type { IngestInput } from '../../core/events/types.js'
import { type AnyRoute, defineRoute } from '../route.js'
import { idParams, instant, objects, pageOf, pageQuery, text } from '../schemas/common.js'
import {
  checkSchema,
  ingestBody,
  ingestResult,
  reservationSchema,
  reserveBody,
  storedEvent,
  usageSchema,
} from '../schemas/metering.js'

const usageQuery = z.strictObject({
  customer_id: text('The customer'),
  meter: text('The meter code'),
  from: instant.meta({ description: 'Start of the window, inclusive' }),
  to: instant.meta({ description: 'End of the window, exclusive' }),
})

/** Events, usage and entitlements: the routes on the host's hot path. */
export const meteringRoutes: AnyRoute[] = [
  defineRoute({
    method: 'POST',
    path: '/v1/events',
    operationId: 'ingestEvents',
    summary: 'Ingest usage events, exactly once',
    description:
      'Takes exactly the `events.ingest` body (1 to 10,000 events) and answers its result with 200: each event is `accepted`, `duplicate` (its key was stored before: no effect), `conflict` or `rejected` (with a code and the offending path). Only a malformed envelope is a 400. The answer comes once the events are durably stored.',
    tag: 'Events',
    scope: 'events:write',
    body: ingestBody,
    response: { status: 200, description: 'One result per event, by index', schema: ingestResult },
    handle: (billing, { body }) => billing.events.ingest(body as IngestInput),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/events',
    operationId: 'listEvents',
    summary: "A customer's stored events, oldest first",
    tag: 'Events',
    scope: 'usage:read',
    query: z.strictObject({
      customer_id: text('The customer'),
      from: instant.optional(),
      to: instant.optional(),
      ...pageQuery,
    }),
    response: { status: 200, description: 'A page of events', schema: pageOf(storedEvent) },
    handle: (billing, { query }) => billing.events.list(query),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/usage',
    operationId: 'getUsage',
    summary: "A customer's usage of a meter over [from, to)",
    tag: 'Usage',
    scope: 'usage:read',
    query: usageQuery,
    response: { status: 200, description: 'The quantity, exact', schema: usageSchema },
    handle: (billing, { query }) => billing.usage.get(query),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/meters',
    operationId: 'listMeters',
    summary: 'Every meter',
    tag: 'Usage',
    scope: 'usage:read',
    response: { status: 200, description: 'The meters', schema: z.object({ data: z.array(objects.meter) }) },
    handle: async (billing) => ({ data: await billing.meters.list() }),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/entitlements/check',
    operationId: 'checkEntitlement',
    summary: 'Whether a customer may use a quantity of a meter now',
    description:
      'Answered from memory: exact for this process, within `entitlements.refreshMs` of other processes. Never fails open silently: `reason` says why not.',
    tag: 'Entitlements',
    scope: 'usage:read',
    query: z.strictObject({
      customer_id: text('The customer'),
      meter: text('The meter code'),
      quantity: z
        .string()
        .regex(/^\d+(\.\d+)?$/)
        .optional()
        .meta({ description: 'The quantity about to be used (default 1)' }),
    }),
    response: {
      status: 200,
      description: 'Allowed or not, and where the customer stands',
      schema: checkSchema,
    },
    handle: (billing, { query }) => billing.entitlements.check(query),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/entitlements/reservations',
    operationId: 'reserveEntitlement',
    summary: 'Hold a quantity against a limit',
    description:
      'Idempotent by `idempotency_key`. Settled by the event that names `reservation_id`, released, or expired.',
    tag: 'Entitlements',
    scope: 'events:write',
    body: reserveBody,
    response: { status: 200, description: 'The reservation (or the refusal)', schema: reservationSchema },
    handle: (billing, { body }) => billing.entitlements.reserve(body),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/entitlements/reservations/{id}/release',
    operationId: 'releaseReservation',
    summary: 'Release a reservation',
    tag: 'Entitlements',
    scope: 'events:write',
    params: idParams,
    response: {
      status: 200,
      description: 'The reservation after release',
      schema: z.object({ id: z.string(), status: z.string() }),
    },
    handle: (billing, { params }) => billing.entitlements.release(params.id),
  }),
]
