import { errorName, type Logger } from '../core/logger.js'

/** One message of a live stream: an SSE event name and its JSON data. */
export interface LiveMessage {
  event: string
  data: unknown
}

/** Reads what changed since the last poll of a topic; its state lives in the closure. */
export type Poll = () => Promise<LiveMessage[]>

interface Topic {
  poll: Poll
  listeners: Set<(messages: LiveMessage[]) => void>
  timer: ReturnType<typeof setTimeout> | null
  /** How long the last poll took, in ms. */
  lastPollMs: number
}

/**
 * A topic waits at least this many times as long as its last poll took before polling again, so
 * polls take at most about 1/20 of the process's time per topic however big the store: a poll that
 * scans millions of rows (the overview's hour across all customers) slows down instead of
 * starving the ingest that shares the process.
 */
export const SLOW_POLL_FACTOR = 20

/**
 * Live updates for open pages, shared: each topic (the overview, one customer) is polled once per
 * interval however many pages watch it, and only while at least one does; a slow poll waits
 * `SLOW_POLL_FACTOR` times its own duration instead, when that is longer. Storage is read, never
 * written; a failed poll is logged and retried at the next interval. Polling storage (instead of
 * in-process events) is what makes a page live for usage ingested by other processes.
 *
 * @example
 * const hub = new LiveHub(1000, logger)
 * const stop = hub.watch('customer:cus_1', () => makePoll('cus_1'), (messages) => send(messages))
 */
export class LiveHub {
  readonly #intervalMs: number
  readonly #logger: Logger
  readonly #elapsed: () => number
  readonly #topics = new Map<string, Topic>()

  /** `elapsed` is a monotonic clock in ms that times the polls (tests pass their own). */
  constructor(intervalMs: number, logger: Logger, elapsed: () => number = () => performance.now()) {
    this.#intervalMs = intervalMs
    this.#logger = logger
    this.#elapsed = elapsed
  }

  /** Starts watching a topic (making its poll on first use); the answer stops watching. */
  watch(name: string, makePoll: () => Poll, listener: (messages: LiveMessage[]) => void): () => void {
    let topic = this.#topics.get(name)
    if (topic === undefined) {
      topic = { poll: makePoll(), listeners: new Set(), timer: null, lastPollMs: 0 }
      this.#topics.set(name, topic)
      this.#schedule(name, topic)
    }
    topic.listeners.add(listener)
    return () => {
      const current = this.#topics.get(name)
      if (current === undefined) return
      current.listeners.delete(listener)
      if (current.listeners.size > 0) return
      if (current.timer !== null) clearTimeout(current.timer)
      this.#topics.delete(name)
    }
  }

  /** Topics polled now (for tests and metrics). */
  get size(): number {
    return this.#topics.size
  }

  /** Stops every poll. */
  close(): void {
    for (const topic of this.#topics.values()) if (topic.timer !== null) clearTimeout(topic.timer)
    this.#topics.clear()
  }

  #schedule(name: string, topic: Topic): void {
    const delay = Math.max(this.#intervalMs, SLOW_POLL_FACTOR * topic.lastPollMs)
    topic.timer = setTimeout(async () => {
      const started = this.#elapsed()
      try {
        const messages = await topic.poll()
        if (messages.length > 0) for (const listener of topic.listeners) listener(messages)
      } catch (error) {
        this.#logger.warn('dashboard live poll failed', { topic: name, error: errorName(error) })
      }
      topic.lastPollMs = this.#elapsed() - started
      if (this.#topics.get(name) === topic) this.#schedule(name, topic)
    }, delay)
    topic.timer.unref?.()
  }
}

/**
 * A Server-Sent Events response fed by a hub topic: a comment every 15 s keeps proxies from
 * closing an idle stream; the topic is released when the client goes away.
 *
 * @example
 * return sseResponse(hub, 'overview', () => overviewPoll(billing), request.signal)
 */
export function sseResponse(hub: LiveHub, name: string, makePoll: () => Poll, signal: AbortSignal): Response {
  const encoder = new TextEncoder()
  let stop = () => {}
  let keepAlive: ReturnType<typeof setInterval> | undefined
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text))
        } catch {
          release()
        }
      }
      const release = () => {
        stop()
        clearInterval(keepAlive)
      }
      send('retry: 2000\n\n')
      stop = hub.watch(name, makePoll, (messages) => {
        for (const m of messages) send(`event: ${m.event}\ndata: ${JSON.stringify(m.data)}\n\n`)
      })
      keepAlive = setInterval(() => send(': keep-alive\n\n'), 15_000)
      keepAlive.unref?.()
      signal.addEventListener('abort', () => {
        release()
        try {
          controller.close()
        } catch {}
      })
    },
    cancel() {
      stop()
      clearInterval(keepAlive)
    },
  })
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    },
  })
}
