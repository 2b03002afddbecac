import { BillingError, ErrorCode } from '../errors.js'
import { type Logger, silentLogger } from '../logger.js'
import { boundaryAt } from '../subscriptions/schedule.js'
import type { SubscriptionRecord } from '../subscriptions/types.js'
import { isoTime as iso } from '../time/iso-time.js'
import type { InvoiceRunFailure } from './types.js'

// Errors that say the storage or the instance cannot work, not that one subscription cannot be
// invoiced: they stop the run, as every other subscription would fail the same way.
const FATAL: ReadonlySet<string> = new Set([
  ErrorCode.STORAGE_ERROR,
  ErrorCode.STORAGE_UNAVAILABLE,
  ErrorCode.CLOSED,
  ErrorCode.INTERNAL_ERROR,
])

/**
 * What one invoice run could not do, by subscription period, each reported once.
 *
 * @example
 * const failures = new RunFailures()
 * const computed = await failures.isolate(sub, at, () => computeInvoice(ctx, sources, sub, at))
 * if (computed === undefined) return // reported in failures.list
 */
export class RunFailures {
  readonly list: InvoiceRunFailure[] = []
  readonly #reported = new Set<string>()
  readonly #logger: Logger

  constructor(logger: Logger = silentLogger) {
    this.#logger = logger
  }

  /**
   * Runs `work` for the invoice of `sub` at boundary `at`. A `BillingError` about that invoice is
   * recorded and answers `undefined`; storage failures and bugs still stop the run.
   */
  async isolate<T>(sub: SubscriptionRecord, at: number, work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work()
    } catch (error) {
      if (!(error instanceof BillingError) || FATAL.has(error.code)) throw error
      this.#record(sub, at, error)
      return undefined
    }
  }

  #record(sub: SubscriptionRecord, at: number, error: BillingError): void {
    const key = `${sub.id}\u0000${at}`
    if (this.#reported.has(key)) return
    this.#reported.add(key)
    this.#logger.warn('subscription not invoiced', {
      subscription_id: sub.id,
      customer_id: sub.customer_id,
      period_end: iso(at),
      code: error.code,
    })
    this.list.push({
      subscription_id: sub.id,
      customer_id: sub.customer_id,
      period_start: iso(boundaryAt(sub, at).usage?.start ?? at),
      period_end: iso(at),
      code: error.code,
      message: error.message,
    })
  }
}
