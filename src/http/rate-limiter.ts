/** How many requests one API key may make. */
export interface RateLimit {
  /** Sustained requests per second per key. */
  perSecond: number
  /** Requests a key may make at once after being idle (the bucket's size); default `2 × perSecond`. */
  burst?: number
}

interface Bucket {
  tokens: number
  at: number
}

/** Buckets kept at most; idle ones (full again) are dropped first. */
const MAX_BUCKETS = 100_000

/**
 * A token bucket per key, in this process: each request takes a token, tokens come back at
 * `perSecond`, and a key may save up to `burst`. `take` answers 0 when the request may go, or
 * how many seconds to wait (for `Retry-After`).
 *
 * @example
 * const limiter = new RateLimiter({ perSecond: 100 }, Date.now)
 * const wait = limiter.take('key_1') // 0, or seconds until a token is back
 */
export class RateLimiter {
  readonly #rate: number
  readonly #burst: number
  readonly #now: () => number
  readonly #buckets = new Map<string, Bucket>()

  constructor(limit: RateLimit, now: () => number) {
    this.#rate = limit.perSecond
    this.#burst = limit.burst ?? limit.perSecond * 2
    this.#now = now
  }

  take(key: string): number {
    const now = this.#now()
    let bucket = this.#buckets.get(key)
    if (bucket === undefined) {
      if (this.#buckets.size >= MAX_BUCKETS) this.#sweep(now)
      bucket = { tokens: this.#burst, at: now }
      this.#buckets.set(key, bucket)
    } else {
      bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.at) / 1000) * this.#rate)
      bucket.at = now
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return 0
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.#rate))
  }

  #sweep(now: number): void {
    for (const [key, bucket] of this.#buckets)
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.#rate >= this.#burst) this.#buckets.delete(key)
    if (this.#buckets.size >= MAX_BUCKETS) this.#buckets.clear()
  }
}
