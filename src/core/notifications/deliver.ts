import type { BillingContext } from '../context.js'
import type { DeliveryClaim, Settlement } from '../ports/index.js'
import { retryAt } from './backoff.js'
import { type Destination, failureMessage } from './destination.js'
import { toNotification } from './to-notification.js'
import { matchesTypes } from './type-patterns.js'

/** What one delivery run did, over every destination. */
export interface DeliveryResult {
  /** Attempts that succeeded. */
  delivered: number
  /** Attempts that failed and will be tried again after their backoff. */
  failed: number
  /** Attempts that failed for the last time: those notifications are now `failed` (see `redeliver`). */
  parked: number
}

const BATCH = 100

/**
 * `notifications.deliver()`: for each destination, claims what is due (leased, so processes
 * delivering at once never send one notification concurrently; at most one per customer at a
 * time, so order per customer holds) and sends it, until nothing is due. A notification the
 * destination's types do not take is settled as delivered without being sent. Failures are retried
 * with exponential backoff and parked after `maxAttempts`.
 *
 * @example
 * const { delivered, failed, parked } = await deliverNotifications(ctx)
 */
export async function deliverNotifications(ctx: BillingContext): Promise<DeliveryResult> {
  const result: DeliveryResult = { delivered: 0, failed: 0, parked: 0 }
  for (const destination of ctx.notifications.destinations) {
    for (;;) {
      const claims = await ctx.storage.notifications.claim(
        destination.name,
        ctx.now(),
        ctx.notifications.leaseMs,
        BATCH,
      )
      if (claims.length === 0) break
      // Claims of one batch belong to different customers: sending them together keeps the order.
      // Their outcomes are recorded together, in one transaction.
      const settled = await Promise.all(claims.map((claim) => attempt(ctx, destination, claim, result)))
      await ctx.storage.notifications.settle(destination.name, settled)
    }
  }
  return result
}

// Sends one claimed notification; answers its outcome (recorded by the caller with the batch's).
async function attempt(
  ctx: BillingContext,
  destination: Destination,
  claim: DeliveryClaim,
  result: DeliveryResult,
): Promise<Settlement> {
  const { notification: record, attempt: number } = claim
  const notification_id = record.id
  if (destination.types !== null && !matchesTypes(destination.types, record.type)) {
    return { notification_id, outcome: { delivered: true } }
  }
  try {
    await destination.send(toNotification(record), ctx.now())
  } catch (error) {
    const message = failureMessage(error)
    const { maxAttempts, retryBaseMs, retryMaxMs } = ctx.notifications
    const last = number >= maxAttempts
    const retry_at = last ? null : retryAt(ctx.now(), number, retryBaseMs, retryMaxMs)
    ctx.logger.warn(last ? 'notification parked' : 'notification delivery failed', {
      notification_id: record.id,
      destination: destination.name,
      attempt: number,
      error: message,
    })
    if (last) result.parked++
    else result.failed++
    return { notification_id, outcome: { delivered: false, error: message, retry_at } }
  }
  result.delivered++
  return { notification_id, outcome: { delivered: true } }
}
