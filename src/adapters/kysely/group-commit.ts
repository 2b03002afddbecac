import type { AppendOutcome } from '../../core/ports/index.js'
import type { AppendRequest } from './merged-requests.js'

interface Waiting {
  readonly request: AppendRequest
  resolve(outcomes: AppendOutcome[]): void
  reject(error: unknown): void
}

/** At most this many events go into one merged transaction. */
export const MAX_EVENTS_PER_COMMIT = 10_000

/**
 * Group commit for async drivers: concurrent `events.append` calls queue up, and one flusher at a
 * time takes everything queued (up to `maxEvents`) into a single transaction, then hands each caller its own
 * outcomes. Two hundred callers sending one event each cost a few transactions, not two hundred.
 * A flush starts on the next turn of the event loop, after the callers resolved by the previous one
 * have queued their next calls, so batches stay full.
 *
 * One caller's bad event must not fail the others merged with it: when a merged flush fails and
 * `isolate(error)` says the failure may come from a request's own data (anything but a lost
 * connection), each request is run again in a transaction of its own, so only the guilty call
 * fails. A failure that says nothing about the requests (the connection is gone) rejects them all,
 * with the same retryable error.
 *
 * @example
 * const group = new GroupCommit(
 *   (requests) => runner.write(() => appendScript(statements, meters, requests)),
 *   (error) => !(error instanceof InterruptedTransaction),
 * )
 * const outcomes = await group.append({ events, effects: compileMeterEffects })
 */
export class GroupCommit {
  readonly #flush: (requests: AppendRequest[]) => Promise<AppendOutcome[][]>
  readonly #isolate: (error: unknown) => boolean
  readonly #maxEvents: number
  #queue: Waiting[] = []
  #flushing = false
  #scheduled = false
  #idle: Array<() => void> = []

  constructor(
    flush: (requests: AppendRequest[]) => Promise<AppendOutcome[][]>,
    isolate: (error: unknown) => boolean,
    maxEvents = MAX_EVENTS_PER_COMMIT,
  ) {
    this.#flush = flush
    this.#isolate = isolate
    this.#maxEvents = maxEvents
  }

  append(request: AppendRequest): Promise<AppendOutcome[]> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, resolve, reject })
      this.#schedule()
    })
  }

  /** Resolves once every queued call has been flushed. */
  idle(): Promise<void> {
    if (this.#queue.length === 0 && !this.#flushing) return Promise.resolve()
    return new Promise((resolve) => this.#idle.push(resolve))
  }

  #schedule(): void {
    if (this.#scheduled || this.#flushing || this.#queue.length === 0) return
    this.#scheduled = true
    setImmediate(() => {
      this.#scheduled = false
      void this.#flushNext()
    })
  }

  async #flushNext(): Promise<void> {
    if (this.#flushing || this.#queue.length === 0) return
    const batch = this.#take()
    this.#flushing = true
    try {
      const outcomes = await this.#flush(batch.map((w) => w.request))
      for (const [i, waiting] of batch.entries()) waiting.resolve(outcomes[i]!)
    } catch (error) {
      if (batch.length > 1 && this.#isolate(error)) await this.#flushEachAlone(batch)
      else for (const waiting of batch) waiting.reject(error)
    } finally {
      this.#flushing = false
      this.#schedule()
      if (this.#queue.length === 0) for (const resolve of this.#idle.splice(0)) resolve()
    }
  }

  async #flushEachAlone(batch: readonly Waiting[]): Promise<void> {
    for (const waiting of batch) {
      try {
        const [outcomes] = await this.#flush([waiting.request])
        waiting.resolve(outcomes!)
      } catch (error) {
        waiting.reject(error)
      }
    }
  }

  #take(): Waiting[] {
    let events = 0
    let n = 0
    while (n < this.#queue.length) {
      const size = this.#queue[n]!.request.events.length
      if (n > 0 && events + size > this.#maxEvents) break
      events += size
      n++
    }
    return this.#queue.splice(0, n)
  }
}
