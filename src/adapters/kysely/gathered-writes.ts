interface Waiting<Request, Answer> {
  readonly request: Request
  resolve(answer: Answer): void
  reject(error: unknown): void
}

/** How a {@link GatheredWrites} shares its transactions. */
export interface GatheredWritesOptions {
  /** Transactions in flight at once (default 1). */
  concurrency?: number
  /** Requests one transaction takes at most (default 256). */
  maxPerFlush?: number
}

/**
 * Concurrent calls of one kind of write share transactions: a call made while fewer than
 * `concurrency` of its kind are in flight starts one at once; calls made while all are in flight
 * queue up and go together (up to `maxPerFlush`) in the next one to start. Under load, a hundred
 * calls cost a few transactions instead of a hundred; a lone call waits for nothing, and a call
 * that waits on a lock holds up only the calls in its own transaction. When a shared transaction
 * fails and `isolate(error)` says the failure may come from one request's own data (anything but
 * a lost connection), each request runs again alone, so only the guilty call fails.
 *
 * @example
 * const opens = new GatheredWrites(
 *   (requests) => runner.write(() => openAllowancesScript(statements, requests)),
 *   (error) => !(error instanceof InterruptedTransaction),
 *   { concurrency: 4, maxPerFlush: 64 },
 * )
 * const allowances = await opens.run({ openings, effects, now })
 */
export class GatheredWrites<Request, Answer> {
  readonly #flush: (requests: Request[]) => Promise<Answer[]>
  readonly #isolate: (error: unknown) => boolean
  readonly #concurrency: number
  readonly #maxPerFlush: number
  #queue: Waiting<Request, Answer>[] = []
  #inFlight = 0

  constructor(
    flush: (requests: Request[]) => Promise<Answer[]>,
    isolate: (error: unknown) => boolean,
    options: GatheredWritesOptions = {},
  ) {
    this.#flush = flush
    this.#isolate = isolate
    this.#concurrency = Math.max(1, options.concurrency ?? 1)
    this.#maxPerFlush = Math.max(1, options.maxPerFlush ?? 256)
  }

  /** Runs `request` in a transaction of its kind, with whatever else is queued when it starts. */
  run(request: Request): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, resolve, reject })
      this.#start()
    })
  }

  #start(): void {
    while (this.#inFlight < this.#concurrency && this.#queue.length > 0)
      void this.#flushNext(this.#queue.splice(0, this.#maxPerFlush))
  }

  async #flushNext(batch: readonly Waiting<Request, Answer>[]): Promise<void> {
    this.#inFlight++
    try {
      await this.#flushBatch(batch)
    } finally {
      this.#inFlight--
      this.#start()
    }
  }

  async #flushBatch(batch: readonly Waiting<Request, Answer>[]): Promise<void> {
    try {
      const answers = await this.#flush(batch.map((w) => w.request))
      for (const [i, waiting] of batch.entries()) waiting.resolve(answers[i]!)
    } catch (error) {
      if (batch.length > 1 && this.#isolate(error)) {
        for (const waiting of batch) await this.#flushBatch([waiting])
      } else for (const waiting of batch) waiting.reject(error)
    }
  }
}
