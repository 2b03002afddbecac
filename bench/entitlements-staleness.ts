// How long after an ingest in another process (A, a child) `check` in this process (B) sees it:
// B's view reloads what others changed every `refreshMs`. Each sample starts at a random point of
// the refresh cycle, as a host's requests would; B keeps checking the customer, as a host would.
import { type ChildProcess, fork } from 'node:child_process'
import { once } from 'node:events'
import { dirname, join } from 'node:path'
import { hrtime } from 'node:process'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { sqliteStorage } from '../src/adapters/sqlite.js'
import type { Billing } from '../src/index.js'
import { customerId, entitlementStore } from './entitlements-workload.js'
import { compare, type Result } from './harness.js'
import { quantile } from './stats.js'

const REFRESH_MS = 1000
const child = join(dirname(fileURLToPath(import.meta.url)), 'staleness-child.ts')

interface Ack {
  key: string
  at: string
}

/** Asks A to ingest one call for `customer` and resolves with A's clock when its ingest resolved. */
async function ingestInA(a: ChildProcess, key: string, customer: string): Promise<bigint> {
  const acked = new Promise<bigint>((resolve) => {
    const onMessage = (m: Ack) => {
      if (m.key !== key) return
      a.off('message', onMessage)
      resolve(BigInt(m.at))
    }
    a.on('message', onMessage)
  })
  a.send({ key, customer_id: customer })
  return acked
}

/** Checks every millisecond until `used` reaches `expected`; returns the clock when it did. */
async function seen(billing: Billing, customer: string, expected: number): Promise<bigint> {
  for (;;) {
    const c = await billing.entitlements.check({ customer_id: customer, meter: 'calls' })
    if (c.used >= expected) return hrtime.bigint()
    await sleep(1)
  }
}

/**
 * Runs the staleness case on a fresh SQLite file under `dir` shared by both processes.
 * @example const rows = await staleness(sub('staleness'), ctx.quick, ctx.log)
 */
export async function staleness(dir: string, quick: boolean, log: (m: string) => void): Promise<Result[]> {
  const filename = join(dir, 'kobometer.db')
  const billing = await entitlementStore(sqliteStorage({ filename }), {
    limited: true,
    customers: 1,
    refreshMs: REFRESH_MS,
    log,
  })
  const a = fork(child, [filename], { execArgv: ['--import', 'tsx'] })
  // A dying early must fail the case, not leave it waiting for an answer forever.
  const died = once(a, 'exit').then(([code]) => {
    throw new Error(`staleness child exited with code ${String(code)}`)
  })
  died.catch(() => {})
  try {
    await Promise.race([once(a, 'message'), died])
    const customer = customerId(0)
    const samples = quick ? 10 : 50
    const lags: number[] = []
    // Sample 0 warms both processes (A's first ingest opens its view of the customer); not counted.
    for (let n = 0; n <= samples; n++) {
      await sleep(Math.random() * REFRESH_MS)
      const at = await Promise.race([ingestInA(a, `stale_${n}`, customer), died])
      const lag = Number((await seen(billing, customer, n + 1)) - at) / 1e6
      if (n > 0) lags.push(lag)
    }
    log(`    ${samples} samples, ${lags.map((x) => x.toFixed(0)).join(' ')} ms`)
    lags.sort((x, y) => x - y)
    const name = `entitlements.check sees another process's ingest, refreshMs ${REFRESH_MS}`
    return [
      compare(`${name} (p50)`, { value: quantile(lags, 0.5), unit: 'ms' }),
      compare(`${name} (p99)`, { value: quantile(lags, 0.99), unit: 'ms' }, undefined, {
        max: REFRESH_MS + 50,
      }),
    ]
  } finally {
    a.disconnect()
    await billing.close()
  }
}
