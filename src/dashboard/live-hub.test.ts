import { afterEach, describe, expect, it, vi } from 'vitest'
import { silentLogger } from '../core/logger.js'
import { LiveHub, type LiveMessage, SLOW_POLL_FACTOR } from './live-hub.js'

describe('LiveHub', () => {
  afterEach(() => vi.useRealTimers())

  it('polls a topic once per interval for all its watchers, and stops when the last one leaves', async () => {
    vi.useFakeTimers()
    const hub = new LiveHub(1000, silentLogger)
    let polls = 0
    const makePoll = () => async (): Promise<LiveMessage[]> => [{ event: 'usage', data: ++polls }]
    const a: unknown[] = []
    const b: unknown[] = []
    const stopA = hub.watch('customer:cus_1', makePoll, (m) => a.push(...m.map((x) => x.data)))
    const stopB = hub.watch('customer:cus_1', makePoll, (m) => b.push(...m.map((x) => x.data)))
    await vi.advanceTimersByTimeAsync(3000)
    expect(polls).toBe(3)
    expect(a).toEqual([1, 2, 3])
    expect(b).toEqual([1, 2, 3])
    stopA()
    await vi.advanceTimersByTimeAsync(1000)
    expect(b).toEqual([1, 2, 3, 4])
    stopB()
    expect(hub.size).toBe(0)
    await vi.advanceTimersByTimeAsync(5000)
    expect(polls).toBe(4)
  })

  it('keeps polling after a failed poll, and logs it', async () => {
    vi.useFakeTimers()
    const warned: string[] = []
    const hub = new LiveHub(1000, { ...silentLogger, warn: (message) => warned.push(message) })
    let calls = 0
    const seen: unknown[] = []
    hub.watch(
      'overview',
      () => async () => {
        calls++
        if (calls === 1) throw new Error('database is locked')
        return [{ event: 'notification', data: calls }]
      },
      (m) => seen.push(...m.map((x) => x.data)),
    )
    await vi.advanceTimersByTimeAsync(2000)
    expect(warned).toEqual(['dashboard live poll failed'])
    expect(seen).toEqual([2])
    hub.close()
  })

  it('waits longer after a slow poll, so a poll that scans a big store cannot take the whole process', async () => {
    vi.useFakeTimers()
    let now = 0
    const hub = new LiveHub(1000, silentLogger, () => now)
    const pollsAt: number[] = []
    hub.watch(
      'overview',
      () => async () => {
        pollsAt.push(Date.now())
        now += pollsAt.length === 1 ? 200 : 10
        return []
      },
      () => {},
    )
    await vi.advanceTimersByTimeAsync(1000 + 200 * SLOW_POLL_FACTOR + 1000)
    const start = pollsAt[0] as number
    expect(pollsAt.map((t) => t - start)).toEqual([0, 200 * SLOW_POLL_FACTOR, 200 * SLOW_POLL_FACTOR + 1000])
    hub.close()
  })
})
