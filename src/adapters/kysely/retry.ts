/** How often and how long to retry a transaction that lost a lock conflict. */
export interface RetryPolicy {
  readonly attempts: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
}

/** Eight attempts, full jitter from 2 ms doubling up to 250 ms: about a second of patience in all. */
export const DEFAULT_RETRY: RetryPolicy = Object.freeze({ attempts: 8, baseDelayMs: 2, maxDelayMs: 250 })

/** Hears each failure about to be retried: the attempt that failed (from 1) and its error. */
export type RetryListener = (attempt: number, error: unknown) => void

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Runs `attempt` until it succeeds, retrying (after a random, growing pause) only failures that
 * `retryable` accepts, at most `policy.attempts` times in all, telling `onRetry` before each pause.
 * The last failure is rethrown. An attempt may also answer or throw synchronously.
 *
 * @example
 * await withRetries(() => runTransaction(), (e) => quirks.isRetryable(e))
 */
export function withRetries<R>(
  attempt: () => R | Promise<R>,
  retryable: (error: unknown) => boolean,
  policy: RetryPolicy = DEFAULT_RETRY,
  onRetry?: RetryListener,
): Promise<R> {
  let first: R | Promise<R>
  try {
    first = attempt()
  } catch (error) {
    return retryAfter(error, attempt, retryable, policy, onRetry)
  }
  // A synchronous attempt that succeeded, the common case: settled without an async frame.
  if (!isThenable(first)) return Promise.resolve(first)
  return Promise.resolve(first).then(undefined, (error: unknown) =>
    retryAfter(error, attempt, retryable, policy, onRetry),
  )
}

// After the first attempt failed: the pauses and the attempts left, as `withRetries` describes.
async function retryAfter<R>(
  firstError: unknown,
  attempt: () => R | Promise<R>,
  retryable: (error: unknown) => boolean,
  policy: RetryPolicy,
  onRetry: RetryListener | undefined,
): Promise<R> {
  let error = firstError
  for (let n = 1; ; n++) {
    if (n >= policy.attempts || !retryable(error)) throw error
    onRetry?.(n, error)
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** n)
    await sleep(Math.random() * ceiling)
    try {
      return await attempt()
    } catch (next) {
      error = next
    }
  }
}

const isThenable = <R>(value: R | Promise<R>): value is Promise<R> =>
  typeof (value as { then?: unknown } | null)?.then === 'function'
