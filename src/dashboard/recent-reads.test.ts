import { describe, expect, it } from 'vitest'
import { RecentReads } from './recent-reads.js'

function counter() {
  let reads = 0
  return {
    read: async () => ++reads,
    get reads() {
      return reads
    },
  }
}

describe('RecentReads', () => {
  it('shares an answer within its time, then reads again', async () => {
    let at = 0
    const reads = new RecentReads(5_000, () => at)
    const source = counter()
    expect(await reads.get('series:calls', source.read)).toBe(1)
    at = 4_999
    expect(await reads.get('series:calls', source.read)).toBe(1)
    at = 5_000
    expect(await reads.get('series:calls', source.read)).toBe(2)
    expect(source.reads).toBe(2)
  })

  it('keeps keys apart, and shares a read still running', async () => {
    const reads = new RecentReads(5_000, () => 0)
    const source = counter()
    const [a, b] = await Promise.all([reads.get('a', source.read), reads.get('a', source.read)])
    expect([a, b]).toEqual([1, 1])
    expect(await reads.get('b', source.read)).toBe(2)
  })

  it('forgets a failed read, so the next ask retries', async () => {
    const reads = new RecentReads(5_000, () => 0)
    await expect(reads.get('a', async () => Promise.reject(new Error('storage down')))).rejects.toThrow()
    expect(await reads.get('a', async () => 'fresh')).toBe('fresh')
  })
})
