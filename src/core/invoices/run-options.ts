import type { BillingContext } from '../context.js'
import { ErrorCode, ValidationError } from '../errors.js'
import type { ProgressListener } from '../logger.js'
import { requireTime } from '../time/time-input.js'
import { type InvoiceRunShard, readShard } from './run-shard.js'

/** Options of `invoices.run` and `tick`. */
export interface RunOptions {
  now?: Date | string | number
  /** Called as the call makes its way through subscriptions, drafts and invoices. */
  onProgress?: ProgressListener
}

/** Options of `invoices.run`: those of {@link RunOptions} and a shard of the run. */
export interface InvoiceRunOptions extends RunOptions {
  /**
   * Only the subscriptions (and their drafts) of this shard: `count` workers each running shard
   * `index` of the same `count` share one run without overlap. Absent: every subscription.
   */
  shard?: InvoiceRunShard
}

/**
 * `readRunOptions` of `invoices.run`, and its shard (checked; `undefined` when absent).
 *
 * @example
 * await runInvoices(ctx, ...readInvoiceRunOptions(ctx, { shard: { index: 0, count: 2 } }))
 */
export function readInvoiceRunOptions(
  ctx: BillingContext,
  options: InvoiceRunOptions | undefined,
): [now: number, onProgress: ProgressListener | undefined, shard: InvoiceRunShard | undefined] {
  return [...readRunOptions(ctx, options), readShard(options?.shard)]
}

/**
 * The instant a run closes periods at (`now`, default the clock) and the listener it reports to,
 * in the order `runInvoices` and `tick` take them; an invalid `now` or `onProgress` throws
 * `ValidationError`.
 *
 * @example
 * await runInvoices(ctx, ...readRunOptions(ctx, { now: '2026-02-01T00:00:00Z' }))
 */
export function readRunOptions(
  ctx: BillingContext,
  options: RunOptions | undefined,
): [now: number, onProgress: ProgressListener | undefined] {
  return [runAt(ctx, options), progressOf(options)]
}

function runAt(ctx: BillingContext, options: RunOptions | undefined): number {
  return options?.now === undefined ? ctx.now() : requireTime(options.now, 'now')
}

function progressOf(options: RunOptions | undefined): ProgressListener | undefined {
  const listener = options?.onProgress
  if (listener === undefined) return undefined
  if (typeof listener !== 'function') {
    throw new ValidationError(ErrorCode.VALIDATION_ERROR, 'onProgress must be a function', {
      path: 'onProgress',
    })
  }
  return listener
}
