import type { AppendOutcome } from '../../core/ports/index.js'
import type { AppendRequest } from './merged-requests.js'

interface Waiting {
  readonly request: AppendRequest
  resolve(outcomes: AppendOutcome[]): void
  reject(error: unknown): void
}

/** At most this many events go into one merged transaction. */
export const MAX_EVENTS_PER_COMMIT = 10_000

/** With `gatherWhenBusy`, consecutive turns gathering one call each after which calls start at once. */
const LONELY_TURNS_TO_STOP_GATHERING = 16

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
  /**
   * For a synchronous driver, where a transaction never waits and so never gathers company by
   * itself (default false: every call waits for the next turn of the event loop). Calls start
   * their transaction at once, as without group commit, until one turn has seen several of them
   * (a busy server handling requests side by side); then calls wait for the next turn and share
   * its transaction, until 16 turns in a row gather a single call each. A caller appending back to
   * back without yielding never ends its turn, so it keeps running at once. Whenever nothing is
   * queued, a call of `minEventsPerFlush` events or more starts at once: it gains nothing from
   * waiting.
   */
  gatherWhenBusy?: boolean
}

/**
 * Group commit: concurrent `events.append` calls queue up, and a flusher takes everything queued
 * (up to `maxEvents`) into a single transaction, then hands each caller its own outcomes. Two
 * hundred callers sending one event each cost a few transactions, not two hundred. A flush starts
 * on the next turn of the event loop, after the callers resolved by the previous one have queued
 * their next calls, so batches stay full; with a synchronous driver, where no call ever waits for
 * another's transaction, that turn is what gathers the requests a busy server handled together
 * (`gatherWhenBusy`). With `concurrency` above 1, a large queue is split into up to that many
 * transactions that run at once (the database works on them in parallel instead of one backend
 * working through one big transaction), and new calls that arrive while fewer are in flight start
 * one of their own. Each flush is told its slot (0 to `concurrency` − 1), one no other flush in
 * flight holds, so flushes can write to rows no concurrent one writes.
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
  readonly #gatherWhenBusy: boolean
  /** With `gatherWhenBusy`: calls wait for the next turn (a turn saw several). */
  #gathering = false
  /** With `gatherWhenBusy`: calls started at once in this turn (above 0: its end is watched). */
  #turnCalls = 0
  #lonelyTurns = 0
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
    this.#gatherWhenBusy = options.gatherWhenBusy ?? false
  }

  append(request: AppendRequest): Promise<AppendOutcome[]> {
    return new Promise((resolve, reject) => {
      const waiting = { request, resolve, reject }
      if (this.#startsAtOnce(request)) {
        this.#countTurnCall()
        void this.#flushBatch([waiting])
      } else {
        this.#queue.push(waiting)
        this.#schedule()
      }
    })
  }

  /** Resolves once every queued call has been flushed. */
  idle(): Promise<void> {
    if (this.#queue.length === 0 && this.#inFlight === 0) return Promise.resolve()
    return new Promise((resolve) => this.#idle.push(resolve))
  }

  #startsAtOnce(request: AppendRequest): boolean {
    return (
      this.#gatherWhenBusy &&
      (!this.#gathering || request.events.length >= this.#minEventsPerFlush) &&
      this.#queue.length === 0 &&
      this.#inFlight < this.#concurrency
    )
  }

  // The end of this turn is watched by an immediate: several calls started at once in it start
  // gathering.
  #countTurnCall(): void {
    if (this.#turnCalls++ === 0) setImmediate(this.#turnEnded)
  }

  // Gathering stops after a run of turns that each gathered a single call: a lone caller, or one
  // now appending back to back, runs at once again.
  #countGathered(calls: number): void {
    this.#lonelyTurns = calls === 1 && this.#queue.length === 0 ? this.#lonelyTurns + 1 : 0
    if (this.#lonelyTurns < LONELY_TURNS_TO_STOP_GATHERING) return
    this.#gathering = false
    this.#lonelyTurns = 0
  }

  readonly #turnEnded = (): void => {
    if (this.#turnCalls > 1) this.#gathering = true
    this.#turnCalls = 0
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
      const batch = this.#take(Math.min(share, this.#maxEvents))
      if (this.#gathering) this.#countGathered(batch.length)
      void this.#flushBatch(batch)
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
