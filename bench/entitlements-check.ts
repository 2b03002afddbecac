// `entitlements.check` per call over 10,000 limited customers with a warm view (each checked once
// first), against a Map lookup of the same answers precomputed, timed in the same loop.
import { join } from 'node:path'
import { sqliteStorage } from '../src/adapters/sqlite.js'
import type { Billing } from '../src/index.js'
import { customerId, entitlementStore } from './entitlements-workload.js'
import { compare, measureLatencies, pickLatency, type Result } from './harness.js'

/**
 * Runs the check case in a fresh SQLite store under `dir`.
 * @example const rows = await checkLatency(sub('check'), ctx.quick, ctx.log)
 */
export async function checkLatency(dir: string, quick: boolean, log: (m: string) => void): Promise<Result[]> {
  const customers = quick ? 1000 : 10_000
  const billing = await entitlementStore(sqliteStorage({ filename: join(dir, 'kobometer.db') }), {
    limited: true,
    customers,
    log,
  })
  try {
    const answers = new Map<string, Awaited<ReturnType<Billing['entitlements']['check']>>>()
    for (let i = 0; i < customers; i++) {
      const id = customerId(i)
      answers.set(id, await billing.entitlements.check({ customer_id: id, meter: 'calls' }))
    }
    let k = 0
    let b = 0
    // The baseline is async too: `check` is, so its floor is one promise resolution, not a bare get.
    const [kobometer, baseline] = await measureLatencies(
      [
        () => billing.entitlements.check({ customer_id: customerId(k++ % customers), meter: 'calls' }),
        async () => answers.get(customerId(b++ % customers)),
      ],
      { iterations: customers },
    )
    const name = `entitlements.check, ${customers.toLocaleString('en')} limited customers, warm view`
    return [
      compare(`${name} (p50)`, pickLatency(kobometer!, 'p50'), pickLatency(baseline!, 'p50')),
      compare(`${name} (p99)`, pickLatency(kobometer!, 'p99'), pickLatency(baseline!, 'p99'), { max: 20 }),
      compare(`${name} (p999)`, pickLatency(kobometer!, 'p999'), pickLatency(baseline!, 'p999')),
    ]
  } finally {
    await billing.close()
  }
}
