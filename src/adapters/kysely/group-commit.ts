import type { AppendOutcome } from '../../core/ports/index.js'
import type { AppendRequest } from './merged-requests.js'

interface Waiting {
  readonly request: AppendRequest
  resolve(outcomes: AppendOutcome[]): void
  reject(error: unknown): void
}

/** At most this many events go into one merged transaction. */
export const MAX_EVENTS_PER_COMMIT = 10_000

/** How many merged transactions a {@link GroupCommit} runs at once, and how it splits the queue. */
export interface GroupCommitOptions {
  /** At most this many events go into one transaction (default {@link MAX_EVENTS_PER_COMMIT}). */
  maxEvents?: number
  /** Transactions in flight at once, each on its own connection (default 1). */
  concurrency?: number
  /**
   * With `concurrency` above 1, the queue is split over several transactions only while each still
   * gets at least this many events (default 200): small loads stay one transaction.
   */
  minEventsPerFlush?: number
}

/**
 * Group commit for async drivers: concurrent `events.append` calls queue up, and a flusher takes
 * everything queued (up to `maxEvents`) into a single transaction, then hands each caller its own
 * outcomes. Two hundred callers sending one event each cost a few transactions, not two hundred.
 * A flush starts on the next turn of the event loop, after the callers resolved by the previous one
 * have queued their next calls, so batches stay full. With `concurrency` above 1, a large queue is
 * split into up to that many transactions that run at once (the database works on them in parallel
 * instead of one backend working through one big transaction), and new calls that arrive while
 * fewer are in flight start one of their own. Each flush is told its slot (0 to `concurrency` − 1),
 * one no other flush in flight holds, so flushes can write to rows no concurrent one writes.
 *
 * One caller's bad event must not fail the others merged with it: when a merged flush fails and
 * `isolate(error)` says the failure may come from a request's own data (anything but a lost
 * connection), each request is run again in a transaction of its own, so only the guilty call
 * fails. A failure that says nothing about the requests (the connection is gone) rejects them all,
 * with the same retryable error.
 *
 * @example
 * const group = new GroupCommit(
 *   (requests, slot) => runner.write(() => appendScript(statements, meters, requests, slot)),
 *   (error) => !(error instanceof InterruptedTransaction),
 *   { concurrency: 4 },
 * )
 * const outcomes = await group.append({ events, effects: compileMeterEffects })
 */
export class GroupCommit {
  readonly #flush: (requests: AppendRequest[], slot: number) => Promise<AppendOutcome[][]>
  readonly #isolate: (error: unknown) => boolean
  readonly #maxEvents: number
  readonly #concurrency: number
  readonly #minEventsPerFlush: number
  #queue: Waiting[] = []
  #inFlight = 0
  /** Which of the `concurrency` slots are taken: a flush is told its slot (0 … concurrency − 1). */
  readonly #slots: boolean[] = []
  #scheduled = false
  #idle: Array<() => void> = []

  constructor(
    flush: (requests: AppendRequest[], slot: number) => Promise<AppendOutcome[][]>,
    isolate: (error: unknown) => boolean,
    options: GroupCommitOptions = {},
  ) {
    this.#flush = flush
    this.#isolate = isolate
    this.#maxEvents = options.maxEvents ?? MAX_EVENTS_PER_COMMIT
    this.#concurrency = Math.max(1, options.concurrency ?? 1)
    this.#minEventsPerFlush = Math.max(1, options.minEventsPerFlush ?? 200)
  }

  append(request: AppendRequest): Promise<AppendOutcome[]> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, resolve, reject })
      this.#schedule()
    })
  }

  /** Resolves once every queued call has been flushed. */
  idle(): Promise<void> {
    if (this.#queue.length === 0 && this.#inFlight === 0) return Promise.resolve()
    return new Promise((resolve) => this.#idle.push(resolve))
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#concurrency || this.#queue.length === 0) return
    this.#scheduled = true
    setImmediate(() => {
      this.#scheduled = false
      this.#startFlushes()
    })
  }

  /** Starts as many flushes as free slots allow, sharing the queued events evenly between them. */
  #startFlushes(): void {
    while (this.#inFlight < this.#concurrency && this.#queue.length > 0) {
      const free = this.#concurrency - this.#inFlight
      let queued = 0
      for (const waiting of this.#queue) queued += waiting.request.events.length
      const share = Math.max(this.#minEventsPerFlush, Math.ceil(queued / free))
      void this.#flushBatch(this.#take(Math.min(share, this.#maxEvents)))
    }
  }

  async #flushBatch(batch: Waiting[]): Promise<void> {
    this.#inFlight++
    let slot = this.#slots.indexOf(false)
    if (slot === -1) slot = this.#slots.length
    this.#slots[slot] = true
    try {
      const outcomes = await this.#flush(
        batch.map((w) => w.request),
        slot,
      )
      for (const [i, waiting] of batch.entries()) waiting.resolve(outcomes[i]!)
    } catch (error) {
      if (batch.length > 1 && this.#isolate(error)) await this.#flushEachAlone(batch, slot)
      else for (const waiting of batch) waiting.reject(error)
    } finally {
      this.#slots[slot] = false
      this.#inFlight--
      this.#schedule()
      if (this.#queue.length === 0 && this.#inFlight === 0)
        for (const resolve of this.#idle.splice(0)) resolve()
    }
  }

  async #flushEachAlone(batch: readonly Waiting[], slot: number): Promise<void> {
    for (const waiting of batch) {
      try {
        const [outcomes] = await this.#flush([waiting.request], slot)
        waiting.resolve(outcomes!)
      } catch (error) {
        waiting.reject(error)
      }
    }
  }

  /** Takes queued calls until they hold `target` events (always at least one call). */
  #take(target: number): Waiting[] {
    let events = 0
    let n = 0
    while (n < this.#queue.length) {
      const size = this.#queue[n]!.request.events.length
      if (n > 0 && events + size > target) break
      events += size
      n++
    }
    return this.#queue.splice(0, n)
  }
}
