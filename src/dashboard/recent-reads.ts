/**
 * Answers of slow reads shared for a short while: a read asked for again within `ttlMs` (real
 * time) of when it started, or while it still runs, gets the same answer instead of a second trip
 * to storage. A failed read is forgotten at once, so the next ask retries. Meant for the
 * overview's reads across all customers, which scan every customer's rollups: many operators
 * loading the overview at once cost one scan, not one each.
 *
 * @example
 * const reads = new RecentReads(5_000)
 * const series = await reads.get(`series:calls:${hour}`, () => billing.usage.series({ meter: 'calls', from, to }))
 */
export class RecentReads {
  readonly #ttlMs: number
  readonly #elapsed: () => number
  readonly #entries = new Map<string, { startedAt: number; answer: Promise<unknown> }>()

  constructor(ttlMs: number, elapsed: () => number = () => performance.now()) {
    this.#ttlMs = ttlMs
    this.#elapsed = elapsed
  }

  /** The answer of `read` under `key`: a recent one if there is one, else a fresh read. */
  get<T>(key: string, read: () => Promise<T>): Promise<T> {
    const at = this.#elapsed()
    const recent = this.#entries.get(key)
    if (recent !== undefined && at - recent.startedAt < this.#ttlMs) return recent.answer as Promise<T>
    this.#forgetOlderThan(at)
    const answer = read()
    this.#entries.set(key, { startedAt: at, answer })
    answer.catch(() => {
      if (this.#entries.get(key)?.answer === answer) this.#entries.delete(key)
    })
    return answer
  }

  // Keys carry the hour they read, so old ones are never asked for again: drop them.
  #forgetOlderThan(at: number): void {
    for (const [key, entry] of this.#entries)
      if (at - entry.startedAt >= this.#ttlMs) this.#entries.delete(key)
  }
}
