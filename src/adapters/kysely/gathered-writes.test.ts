import { describe, expect, it } from 'vitest'
import { GatheredWrites } from './gathered-writes.js'

/** Writes that each answer their request doubled, and wait until released; records each flush. */
function recording(
  opts: { isolate?: boolean; concurrency?: number; maxPerFlush?: number; guilty?: number } = {},
) {
  const flushes: number[][] = []
  const release: Array<() => void> = []
  const writes = new GatheredWrites<number, number>(
    async (requests) => {
      flushes.push([...requests])
      await new Promise<void>((resolve) => release.push(resolve))
      if (opts.guilty !== undefined && requests.includes(opts.guilty)) throw new Error(`bad ${opts.guilty}`)
      return requests.map((r) => r * 2)
    },
    () => opts.isolate ?? true,
    {
      ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
      ...(opts.maxPerFlush ? { maxPerFlush: opts.maxPerFlush } : {}),
    },
  )
  const releaseAll = async () => {
    while (release.length > 0) {
      release.shift()!()
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
  return { writes, flushes, releaseAll }
}

describe('GatheredWrites', () => {
  it('starts a lone call at once and gathers the calls made meanwhile into the next write', async () => {
    const { writes, flushes, releaseAll } = recording()
    const first = writes.run(1)
    expect(flushes).toEqual([[1]])
    const rest = [2, 3, 4].map((n) => writes.run(n))
    expect(flushes).toEqual([[1]])
    await releaseAll()
    expect(await first).toBe(2)
    expect(await Promise.all(rest)).toEqual([4, 6, 8])
    expect(flushes).toEqual([[1], [2, 3, 4]])
  })

  it('starts up to `concurrency` writes at once, then gathers', async () => {
    const { writes, flushes, releaseAll } = recording({ concurrency: 2 })
    const all = [1, 2, 3, 4, 5].map((n) => writes.run(n))
    expect(flushes).toEqual([[1], [2]])
    await releaseAll()
    expect(await Promise.all(all)).toEqual([2, 4, 6, 8, 10])
    expect(flushes).toEqual([[1], [2], [3, 4, 5]])
  })

  it('splits a long queue into writes of at most maxPerFlush', async () => {
    const { writes, flushes, releaseAll } = recording({ maxPerFlush: 2 })
    const all = [1, 2, 3, 4, 5].map((n) => writes.run(n))
    await releaseAll()
    expect(await Promise.all(all)).toEqual([2, 4, 6, 8, 10])
    expect(flushes).toEqual([[1], [2, 3], [4, 5]])
  })

  it('runs each request of a failed shared write alone, so only the guilty call fails', async () => {
    const { writes, flushes, releaseAll } = recording({ guilty: 3 })
    const first = writes.run(1)
    const rest = [2, 3, 4].map((n) => writes.run(n).catch((e: Error) => e.message))
    await releaseAll()
    expect(await first).toBe(2)
    expect(await Promise.all(rest)).toEqual([4, 'bad 3', 8])
    expect(flushes).toEqual([[1], [2, 3, 4], [2], [3], [4]])
  })

  it('fails every call of a shared write when the failure says nothing about them', async () => {
    const { writes, flushes, releaseAll } = recording({ guilty: 3, isolate: false })
    const first = writes.run(1)
    const rest = [2, 3, 4].map((n) => writes.run(n).catch((e: Error) => e.message))
    await releaseAll()
    expect(await first).toBe(2)
    expect(await Promise.all(rest)).toEqual(['bad 3', 'bad 3', 'bad 3'])
    expect(flushes).toEqual([[1], [2, 3, 4]])
    // The next call still starts at once.
    const next = writes.run(5)
    await releaseAll()
    expect(await next).toBe(10)
  })
})
