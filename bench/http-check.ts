// `GET /v1/entitlements/check` at a steady 1,000 requests/s over many limited customers (the view
// warm), against the bare handler answering `{}` on the same stack.
import { join } from 'node:path'
import { compare, type Result } from './harness.js'
import { probeRequest } from './http-load.js'
import { alternate } from './http-rounds.js'
import { type BenchServer, startServer } from './http-servers.js'
import { steadyRateRound } from './http-steady-load.js'
import { checkRequests } from './http-workload.js'
import { fromRounds } from './measure.js'
import { quantile } from './stats.js'

const RATE = 1000

async function expectEnforced(server: BenchServer): Promise<void> {
  const { status, body } = await probeRequest(server, checkRequests(1)())
  const check = body as { allowed?: unknown; enforced?: unknown }
  if (status !== 200 || check.allowed !== true || check.enforced !== true)
    throw new Error(`check probe: status ${status}, body ${JSON.stringify(body).slice(0, 300)}`)
}

/**
 * p50 and p99 in ms of checks at 1,000 requests/s, customers in turn, kobometer against bare.
 * @example const rows = await checkLatency(sub('check'), ctx.quick, ctx.log)
 */
export async function checkLatency(dir: string, quick: boolean, log: (m: string) => void): Promise<Result[]> {
  const customers = quick ? 1000 : 10_000
  const seconds = quick ? 1 : 5
  const servers: BenchServer[] = []
  try {
    log(`    subscribing and warming ${customers.toLocaleString('en')} customers in the server`)
    servers.push(await startServer({ app: 'kobometer', filename: join(dir, 'kobometer.db'), customers }))
    servers.push(await startServer({ app: 'bare' }))
    await expectEnforced(servers[0]!)
    const [kobometer, bare] = await alternate(
      servers,
      async (s) => {
        const ms = await steadyRateRound(s, checkRequests(customers), { rate: RATE, seconds })
        return { p50: quantile(ms, 0.5), p99: quantile(ms, 0.99) }
      },
      (s) => steadyRateRound(s, checkRequests(customers), { rate: RATE, seconds: 1 }),
    )
    const stat = (rounds: Array<{ p50: number; p99: number }>, s: 'p50' | 'p99') =>
      fromRounds(
        rounds.map((r) => r[s]),
        'ms',
      )
    const name = `http GET /v1/entitlements/check at ${RATE.toLocaleString('en')} req/s, ${customers.toLocaleString('en')} limited customers, vs bare Hono handler`
    return [
      compare(`${name} (p50)`, stat(kobometer!, 'p50'), stat(bare!, 'p50')),
      compare(`${name} (p99)`, stat(kobometer!, 'p99'), stat(bare!, 'p99')),
    ]
  } finally {
    for (const s of servers) await s.stop()
  }
}
