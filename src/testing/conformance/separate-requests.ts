/**
 * Runs `count` calls the way a busy server's requests arrive: each from a callback of its own,
 * all in the same turn of the event loop (not one chain of promises), and answers their results
 * in call order.
 *
 * @example
 * const results = await asSeparateRequests(10, (i) => billing.events.ingest({ events: [event(i)] }))
 */
export function asSeparateRequests<T>(count: number, call: (index: number) => Promise<T>): Promise<T[]> {
  return Promise.all(
    Array.from(
      { length: count },
      (_, i) => new Promise<T>((resolve, reject) => setImmediate(() => call(i).then(resolve, reject))),
    ),
  )
}
