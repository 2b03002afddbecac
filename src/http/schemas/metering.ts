import { z } from 'zod'
import { EVENT_LIMITS } from '../../core/events/limits.js'

const propertyValue = z.union([z.string(), z.number(), z.boolean(), z.null()])

/** One usage event, as the document describes it. */
const eventShape = z.object({
  event_name: z
    .string()
    .min(1)
    .max(EVENT_LIMITS.maxEventNameLength)
    .regex(/^[A-Za-z0-9_.:-]+$/),
  customer_id: z.string().min(1).max(EVENT_LIMITS.maxIdLength),
  idempotency_key: z.string().min(1).max(EVENT_LIMITS.maxIdLength).meta({
    description:
      'Unique for the whole store, forever: the same key again is a `duplicate`, never a second count',
  }),
  timestamp: z.union([z.string(), z.number()]).optional().meta({
    description:
      'ISO-8601 with `Z` or an offset (any number of fractional digits, kept to the millisecond) or epoch ms; default now',
  }),
  properties: z
    .record(z.string(), propertyValue)
    .optional()
    .meta({ description: 'Flat; numbers beyond what a double holds exactly may be sent as decimal strings' }),
  reservation_id: z
    .string()
    .optional()
    .meta({ description: 'Settles this reservation with the event\u2019s real quantity' }),
})

/**
 * An event of the batch. Each event is validated by `events.ingest` on its own, so one bad event
 * is `rejected` in the answer while the rest are stored; the route itself checks only the envelope.
 */
const eventItem = z.unknown().meta({
  ...z.toJSONSchema(eventShape, { io: 'input', target: 'draft-2020-12' }),
  $schema: undefined,
  id: 'Event',
})

/** `POST /v1/events`: the `events.ingest` body. */
export const ingestBody = z.strictObject({ events: z.array(eventItem).min(1).max(EVENT_LIMITS.maxBatch) })

const eventError = z.object({ code: z.string(), message: z.string(), path: z.string().optional() })

/** The `events.ingest` answer. */
export const ingestResult = z
  .object({
    accepted: z.number().int(),
    duplicates: z.number().int(),
    conflicts: z.number().int(),
    rejected: z.number().int(),
    results: z.array(
      z.object({
        index: z.number().int(),
        idempotency_key: z.string().nullable(),
        status: z.enum(['accepted', 'duplicate', 'conflict', 'rejected']),
        error: eventError.optional(),
      }),
    ),
    warnings: z.array(z.object({ index: z.number().int(), code: z.string(), message: z.string() })),
  })
  .meta({ id: 'IngestResult' })

/** A stored event, as `GET /v1/events` lists them. */
export const storedEvent = z
  .looseObject({
    idempotency_key: z.string(),
    customer_id: z.string(),
    event_name: z.string(),
    timestamp: z.string(),
    properties: z.record(z.string(), propertyValue),
  })
  .meta({ id: 'StoredEvent' })

/** The `usage.get` answer. */
export const usageSchema = z
  .object({
    customer_id: z.string(),
    meter: z.string(),
    from: z.string(),
    to: z.string(),
    quantity: z.number(),
    precise_quantity: z.string().meta({ description: 'The exact quantity: what pricing uses' }),
  })
  .meta({ id: 'Usage' })

const checkShape = {
  customer_id: z.string(),
  meter: z.string(),
  allowed: z.boolean(),
  reason: z
    .enum(['limit_reached', 'subscription_paused', 'subscription_canceled', 'no_subscription'])
    .nullable(),
  used: z.number(),
  limit: z.number().nullable(),
  remaining: z.number().nullable(),
  enforced: z.boolean(),
  period_start: z.string().nullable(),
  period_end: z.string().nullable(),
}

/** The `entitlements.check` answer. */
export const checkSchema = z.object(checkShape).meta({ id: 'EntitlementCheck' })

/** The `entitlements.reserve` answer. */
export const reservationSchema = z
  .object({
    ...checkShape,
    id: z.string().nullable(),
    idempotency_key: z.string(),
    quantity: z.number(),
    status: z.string().nullable(),
  })
  .loose()
  .meta({ id: 'Reservation' })

const quantity = z
  .union([z.number(), z.string().regex(/^\d+(\.\d+)?$/)])
  .meta({ description: 'A number or a decimal string' })

/** `POST /v1/entitlements/reservations`. */
export const reserveBody = z.strictObject({
  customer_id: z.string().min(1).max(255),
  meter: z.string().min(1).max(100),
  quantity,
  idempotency_key: z.string().min(1).max(255),
  expires_in_ms: z.number().int().positive().optional(),
})
