import { describe, expect, it } from 'vitest'
import { compileMeterEffects } from '../../core/meters/meter-effects.js'
import type { AppendOutcome } from '../../core/ports/index.js'
import { asSeparateRequests } from '../../testing/conformance/separate-requests.js'
import { GroupCommit, type GroupCommitOptions } from './group-commit.js'
import type { AppendRequest } from './merged-requests.js'

let key = 0
const request = (events: number, tag = ''): AppendRequest => ({
  events: Array.from({ length: events }, () => ({
    idempotency_key: `${tag}k${key++}`,
    customer_id: 'c',
    event_name: 'e',
    timestamp: 0,
    properties: {},
    properties_json: '{}',
    payload_hash: 'h',
    received_at: 0,
  })),
  effects: compileMeterEffects,
})

/** A group whose flushes wait until released, recording each flush's size and the peak in flight. */
function recordingGroup(options: GroupCommitOptions, fail?: (requests: AppendRequest[]) => boolean) {
  const flushes: number[][] = []
  const slots: number[] = []
  const waiting: Array<() => void> = []
  let inFlight = 0
  let peak = 0
  const group = new GroupCommit(
    async (requests, slot) => {
      flushes.push(requests.map((r) => r.events.length))
      slots.push(slot)
      inFlight++
      peak = Math.max(peak, inFlight)
      await new Promise<void>((resolve) => waiting.push(resolve))
      inFlight--
      if (fail?.(requests)) throw new Error('bad event')
      return requests.map((r) => r.events.map((): AppendOutcome => ({ status: 'accepted', warnings: [] })))
    },
    () => true,
    options,
  )
  const releaseAll = async () => {
    while (waiting.length > 0 || inFlight > 0) {
      for (const release of waiting.splice(0)) release()
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
  return { group, flushes, slots, releaseAll, peak: () => peak }
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

describe('group commit', () => {
  it('merges everything queued in one turn into one transaction by default', async () => {
    const r = recordingGroup({})
    const calls = Array.from({ length: 8 }, () => r.group.append(request(100)))
    await tick()
    expect(r.flushes).toEqual([[100, 100, 100, 100, 100, 100, 100, 100]])
    await r.releaseAll()
    expect((await Promise.all(calls)).map((o) => o.length)).toEqual(Array(8).fill(100))
  })

  it('splits a large queue over `concurrency` transactions running at once', async () => {
    const r = recordingGroup({ concurrency: 4, minEventsPerFlush: 200 })
    const calls = Array.from({ length: 8 }, () => r.group.append(request(100)))
    await tick()
    expect(r.flushes).toEqual([
      [100, 100],
      [100, 100],
      [100, 100],
      [100, 100],
    ])
    expect(r.peak()).toBe(4)
    // Each flush in flight holds its own slot: it may write rows no other one writes.
    expect(r.slots).toEqual([0, 1, 2, 3])
    await r.releaseAll()
    expect((await Promise.all(calls)).map((o) => o.length)).toEqual(Array(8).fill(100))
  })

  it('keeps a small load in one transaction, and starts another for calls that come while it runs', async () => {
    const r = recordingGroup({ concurrency: 4, minEventsPerFlush: 200 })
    const first = [r.group.append(request(10)), r.group.append(request(10)), r.group.append(request(10))]
    await tick()
    expect(r.flushes).toEqual([[10, 10, 10]])
    const later = r.group.append(request(5))
    await tick()
    expect(r.flushes).toEqual([[10, 10, 10], [5]])
    expect(r.peak()).toBe(2)
    expect(r.slots).toEqual([0, 1])
    await r.releaseAll()
    await Promise.all([...first, later])
    // A slot is free again once its flush ended.
    const again = r.group.append(request(1))
    await tick()
    await r.releaseAll()
    await again
    expect(r.slots.at(-1)).toBe(0)
  })

  it('waits in idle() for every transaction in flight', async () => {
    const r = recordingGroup({ concurrency: 2, minEventsPerFlush: 1 })
    void r.group.append(request(1))
    void r.group.append(request(1))
    await tick()
    let idle = false
    const settled = r.group.idle().then(() => {
      idle = true
    })
    await tick()
    expect(idle).toBe(false)
    await r.releaseAll()
    await settled
    expect(idle).toBe(true)
  })

  it('re-runs each call of a failed merged transaction alone, so only the guilty call fails', async () => {
    const r = recordingGroup({ concurrency: 2, minEventsPerFlush: 1 }, (requests) =>
      requests.some((q) => q.events.some((e) => e.idempotency_key.startsWith('bad'))),
    )
    const good = r.group.append(request(1))
    const bad = r.group.append(request(1, 'bad')).catch((error: Error) => error.message)
    const alsoGood = r.group.append(request(1))
    await tick()
    await r.releaseAll()
    await expect(good).resolves.toHaveLength(1)
    expect(await bad).toBe('bad event')
    await expect(alsoGood).resolves.toHaveLength(1)
  })

  describe('gatherWhenBusy (a synchronous driver)', () => {
    /** A group whose flushes finish at once, as a synchronous driver's do, recording each flush. */
    function syncGroup() {
      const flushes: number[][] = []
      const group = new GroupCommit(
        async (requests) => {
          flushes.push(requests.map((r) => r.events.length))
          return requests.map((r) =>
            r.events.map((): AppendOutcome => ({ status: 'accepted', warnings: [] })),
          )
        },
        () => true,
        { gatherWhenBusy: true },
      )
      return { group, flushes }
    }
    /** `n` calls of one event, each from its own callback of the same turn (requests of a busy server). */
    const requestsInOneTurn = (group: GroupCommit, n: number) =>
      asSeparateRequests(n, () => group.append(request(1)))

    it('runs a caller appending back to back at once, one transaction per call', async () => {
      const r = syncGroup()
      for (let i = 0; i < 20; i++) {
        const call = r.group.append(request(1))
        expect(r.flushes).toHaveLength(i + 1)
        await call
      }
      expect(r.flushes.every((f) => f.length === 1)).toBe(true)
    })

    it('once a turn has seen several calls, merges the calls of each next turn into one transaction', async () => {
      const r = syncGroup()
      await requestsInOneTurn(r.group, 5)
      expect(r.flushes).toEqual([[1], [1], [1], [1], [1]])
      await requestsInOneTurn(r.group, 5)
      await requestsInOneTurn(r.group, 3)
      expect(r.flushes.slice(5)).toEqual([
        [1, 1, 1, 1, 1],
        [1, 1, 1],
      ])
    })

    it('runs calls at once again after 16 turns in a row that each gathered a single call', async () => {
      const r = syncGroup()
      await requestsInOneTurn(r.group, 2)
      await tick()
      for (let i = 0; i < 16; i++) {
        const call = r.group.append(request(1))
        expect(r.flushes).toHaveLength(2 + i)
        await call
        await tick()
      }
      const call = r.group.append(request(1))
      expect(r.flushes).toHaveLength(19)
      await call
    })

    it('runs a call of minEventsPerFlush events at once even while gathering', async () => {
      const r = syncGroup()
      await requestsInOneTurn(r.group, 2)
      await tick()
      const small = r.group.append(request(1))
      expect(r.flushes).toHaveLength(2)
      await small
      const big = r.group.append(request(200))
      expect(r.flushes).toHaveLength(4)
      expect(r.flushes[3]).toEqual([200])
      await big
    })
  })
})
