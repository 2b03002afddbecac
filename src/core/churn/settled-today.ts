import type { BillingContext } from '../context.js'
import { DAY_MS } from './churn-constants.js'

interface Memo {
  day: number
  keys: Set<string>
}

// Per billing instance, in memory: the notices this process has already settled today (written,
// found written, or found not owed). A tick then skips the reads behind them; the next day, or
// another process, checks each once more, and its key stores nothing twice.
const memos = new WeakMap<BillingContext, Memo>()

function memoOf(ctx: BillingContext, now: number): Memo {
  const day = Math.floor(now / DAY_MS)
  let memo = memos.get(ctx)
  if (memo === undefined || memo.day !== day) {
    memo = { day, keys: new Set() }
    memos.set(ctx, memo)
  }
  return memo
}

/**
 * Whether this process settled the notice `key` earlier in `now`'s UTC day.
 *
 * @example
 * if (!settledToday(ctx, now, key)) await check()
 */
export function settledToday(ctx: BillingContext, now: number, key: string): boolean {
  return memoOf(ctx, now).keys.has(key)
}

/**
 * Remembers, until the end of `now`'s UTC day, that the notice `key` is settled: in the outbox, or
 * not owed today.
 *
 * @example
 * settle(ctx, now, key)
 */
export function settle(ctx: BillingContext, now: number, key: string): void {
  memoOf(ctx, now).keys.add(key)
}
