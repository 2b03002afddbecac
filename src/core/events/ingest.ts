import type { BillingContext } from '../context.js'
import { ErrorCode, ValidationError } from '../errors.js'
import { compileMeterEffects } from '../meters/meter-effects.js'
import type { AppendOutcome, Refusal } from '../ports/index.js'
import { isoTime } from '../time/iso-time.js'
import { dedupeBatch } from './dedupe-batch.js'
import { EVENT_LIMITS } from './limits.js'
import type { EventError, IngestEventResult, IngestResult, IngestWarning, PreparedEvent } from './types.js'
import { type EventValidation, prepareEvent } from './validate-event.js'

const CONFLICT_ERROR = {
  code: ErrorCode.IDEMPOTENCY_CONFLICT,
  message:
    'an event with this idempotency_key and a different payload was stored first; the first write wins',
  path: 'idempotency_key',
}

const HOLE_ERROR: EventError = {
  code: ErrorCode.INVALID_EVENT,
  message: 'no event at this index (a hole in a sparse array)',
}

const UNREADABLE_ERROR: EventError = {
  code: ErrorCode.INVALID_EVENT,
  message: 'the event could not be read: one of its getters or proxy traps threw',
}

function periodClosed(before: number): EventError {
  return {
    code: ErrorCode.PERIOD_CLOSED,
    message: `the invoice for this period is finalized: usage before ${isoTime(before)} can no longer change`,
    path: 'timestamp',
  }
}

const REFUSALS: Record<Refusal['code'], (refusal: Refusal) => string> = {
  QUOTA_EXCEEDED: (r) =>
    `this event would take ${r.meter} past the period's limit of ${r.limit} (used or held: ${r.used})`,
  SUBSCRIPTION_PAUSED: (r) =>
    `the subscription is paused: ${r.meter} is limited by its plan and refuses usage until it resumes`,
  SUBSCRIPTION_CANCELED: (r) =>
    `the subscription is canceled: ${r.meter} is limited by its plan and refuses usage`,
  RESERVATION_NOT_FOUND: () => 'no reservation has this reservation_id',
  RESERVATION_NOT_HELD: (r) => `the reservation on ${r.meter} was already settled or released`,
  RESERVATION_EXPIRED: (r) => `the reservation on ${r.meter} expired before this event settled it`,
  RESERVATION_MISMATCH: () =>
    "the reservation belongs to another customer: an event settles only its customer's",
}

function refusalError(refusal: Refusal): EventError {
  const path = refusal.code.startsWith('RESERVATION_') ? { path: 'reservation_id' } : {}
  return { code: ErrorCode[refusal.code], message: REFUSALS[refusal.code](refusal), ...path }
}

/**
 * Reads the envelope's `events` array once, into a plain array whose length is fixed from here on.
 * A getter or proxy that throws is a malformed envelope, never a crash.
 */
function readEnvelope(input: unknown): { events: readonly unknown[]; length: number } {
  let events: unknown
  let length = 0
  try {
    events = typeof input === 'object' && input !== null ? (input as { events?: unknown }).events : undefined
    if (Array.isArray(events)) length = events.length
  } catch {
    events = undefined
  }
  if (!Array.isArray(events)) {
    throw new ValidationError(ErrorCode.INVALID_BATCH, 'ingest takes an object with an events array', {
      path: 'events',
    })
  }
  if (length > EVENT_LIMITS.maxBatch) {
    throw new ValidationError(
      ErrorCode.BATCH_TOO_LARGE,
      `at most ${EVENT_LIMITS.maxBatch} events per call, got ${length}`,
      { path: 'events', limit: EVENT_LIMITS.maxBatch },
    )
  }
  return { events, length }
}

/**
 * Validates the event at `index`: a hole in a sparse array, or an event whose getters or proxy
 * traps throw, is rejected on its own like any other malformed event.
 */
function readEvent(events: readonly unknown[], index: number, now: number): EventValidation {
  try {
    if (!(index in events)) {
      return { ok: false, error: HOLE_ERROR, idempotency_key: null }
    }
    return prepareEvent(events[index], now)
  } catch {
    return { ok: false, error: UNREADABLE_ERROR, idempotency_key: null }
  }
}

/**
 * `billing.events.ingest`: validates each event on its own (one bad event never sinks the batch),
 * stores the valid ones exactly once, and answers per event. Resolves once the batch is durably
 * committed. Throws only for a malformed envelope or when the storage itself fails.
 *
 * @example
 * await ingestEvents(ctx, { events: [{ event_name: 'api_call', customer_id: 'cus_1', idempotency_key: 'req_1' }] })
 * // { accepted: 1, duplicates: 0, conflicts: 0, rejected: 0, results: [...], warnings: [] }
 */
export async function ingestEvents(ctx: BillingContext, input: unknown): Promise<IngestResult> {
  const { results, valid, validIndex } = validateAll(ctx, input)
  const warnings: IngestWarning[] = []
  if (valid.length > 0) {
    const batch = dedupeBatch(valid)
    await ctx.entitlements.prepare(ctx, batch.unique)
    const appended = await ctx.storage.events.append(batch.unique, compileMeterEffects)
    ctx.entitlements.absorbOutcomes(appended)
    const outcomes = batch.resolve(appended)
    for (let i = 0; i < outcomes.length; i++) {
      const index = validIndex[i]!
      results[index] = eventResult(index, valid[i]!.idempotency_key, outcomes[i]!, warnings)
    }
  }
  return summed(results, warnings)
}

/** The envelope's events validated: the rejected ones answered, the valid ones with their index. */
interface Validated {
  results: IngestEventResult[]
  valid: PreparedEvent[]
  validIndex: number[]
}

function validateAll(ctx: BillingContext, input: unknown): Validated {
  const { events, length } = readEnvelope(input)
  const now = ctx.now()
  const results: IngestEventResult[] = new Array(length)
  // Sized for every event valid, the common case; cut to size below when some are not.
  const valid: PreparedEvent[] = new Array(length)
  const validIndex: number[] = new Array(length)
  let count = 0
  for (let index = 0; index < length; index++) {
    const checked = readEvent(events, index, now)
    if (checked.ok) {
      valid[count] = checked.event
      validIndex[count++] = index
    } else {
      const { path, ...rest } = checked.error
      const error = path ? checked.error : rest
      results[index] = { index, idempotency_key: checked.idempotency_key, status: 'rejected', error }
    }
  }
  valid.length = count
  validIndex.length = count
  return { results, valid, validIndex }
}

/** The call's answer: every event's result, counted by status. */
function summed(results: IngestEventResult[], warnings: IngestWarning[]): IngestResult {
  const result: IngestResult = { accepted: 0, duplicates: 0, conflicts: 0, rejected: 0, results, warnings }
  for (const r of results) {
    if (r.status === 'accepted') result.accepted++
    else if (r.status === 'duplicate') result.duplicates++
    else if (r.status === 'conflict') result.conflicts++
    else result.rejected++
  }
  return result
}

/** The answer for the valid event at `index`, from its outcome; an accepted one's warnings go to `warnings`. */
function eventResult(
  index: number,
  idempotency_key: string,
  outcome: AppendOutcome,
  warnings: IngestWarning[],
): IngestEventResult {
  if (outcome.status === 'conflict') {
    return { index, idempotency_key, status: 'conflict', error: CONFLICT_ERROR }
  }
  if (outcome.status === 'refused') {
    return { index, idempotency_key, status: 'rejected', error: refusalError(outcome.refusal) }
  }
  if (outcome.status === 'closed') {
    return { index, idempotency_key, status: 'rejected', error: periodClosed(outcome.closed_before) }
  }
  if (outcome.status === 'accepted') for (const w of outcome.warnings) warnings.push({ index, ...w })
  return { index, idempotency_key, status: outcome.status }
}
