const PARALLEL = 8

/**
 * Maps `items` through `fn` with at most eight calls in flight, keeping the order of `items`:
 * enough to overlap storage round trips without flooding a connection pool.
 *
 * @example
 * const subs = await mapLimited(ids, (id) => ctx.storage.subscriptions.get(id))
 */
export async function mapLimited<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker))
  return out
}
