import type { BillingContext } from '../context.js'
import { ErrorCode, ValidationError } from '../errors.js'
import { compileMeterEffects } from '../meters/meter-effects.js'
import { dedupeBatch } from './dedupe-batch.js'
import { EVENT_LIMITS } from './limits.js'
import { isoTime } from './time.js'
import type { EventError, IngestEventResult, IngestResult, IngestWarning, PreparedEvent } from './types.js'
import { prepareEvent } from './validate-event.js'

const CONFLICT_ERROR = {
  code: ErrorCode.IDEMPOTENCY_CONFLICT,
  message:
    'an event with this idempotency_key and a different payload was stored first; the first write wins',
  path: 'idempotency_key',
}

function periodClosed(before: number): EventError {
  return {
    code: ErrorCode.PERIOD_CLOSED,
    message: `the invoice for this period is finalized: usage before ${isoTime(before)} can no longer change`,
    path: 'timestamp',
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
  const events = (input as { events?: unknown } | null)?.events
  if (typeof input !== 'object' || input === null || !Array.isArray(events)) {
    throw new ValidationError(ErrorCode.INVALID_BATCH, 'ingest takes an object with an events array', {
      path: 'events',
    })
  }
  if (events.length > EVENT_LIMITS.maxBatch) {
    throw new ValidationError(
      ErrorCode.BATCH_TOO_LARGE,
      `at most ${EVENT_LIMITS.maxBatch} events per call, got ${events.length}`,
      { path: 'events', limit: EVENT_LIMITS.maxBatch },
    )
  }
  const now = ctx.now()
  const results: IngestEventResult[] = new Array(events.length)
  const valid: PreparedEvent[] = []
  const validIndex: number[] = []
  events.forEach((raw, index) => {
    const checked = prepareEvent(raw, now)
    if (checked.ok) {
      valid.push(checked.event)
      validIndex.push(index)
    } else {
      const { path, ...rest } = checked.error
      const error = path ? checked.error : rest
      results[index] = { index, idempotency_key: checked.idempotency_key, status: 'rejected', error }
    }
  })

  const warnings: IngestWarning[] = []
  if (valid.length > 0) {
    const batch = dedupeBatch(valid)
    const outcomes = batch.resolve(await ctx.storage.appendEvents(batch.unique, compileMeterEffects))
    outcomes.forEach((outcome, i) => {
      const index = validIndex[i]!
      const idempotency_key = valid[i]!.idempotency_key
      if (outcome.status === 'conflict') {
        results[index] = { index, idempotency_key, status: 'conflict', error: CONFLICT_ERROR }
        return
      }
      if (outcome.status === 'closed') {
        results[index] = {
          index,
          idempotency_key,
          status: 'rejected',
          error: periodClosed(outcome.closed_before),
        }
        return
      }
      results[index] = { index, idempotency_key, status: outcome.status }
      if (outcome.status === 'accepted') for (const w of outcome.warnings) warnings.push({ index, ...w })
    })
  }

  const counts = { accepted: 0, duplicates: 0, conflicts: 0, rejected: 0 }
  for (const r of results) {
    if (r.status === 'accepted') counts.accepted++
    else if (r.status === 'duplicate') counts.duplicates++
    else if (r.status === 'conflict') counts.conflicts++
    else counts.rejected++
  }
  return { ...counts, results, warnings }
}
