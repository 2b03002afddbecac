// `POST /v1/events` with one event per request, over node:http, against a bare handler on the same
// stack (node:http, @hono/node-server, Hono) that parses the same body and answers `{}`: the cost of
// what kobometer does per request (key, validation, exactly-once SQLite write) over the stack's own.
import { join } from 'node:path'
import { compare, type Result } from './harness.js'
import { throughputRound } from './http-load.js'
import { alternate } from './http-rounds.js'
import { type BenchServer, startServer } from './http-servers.js'
import { steadyRateRound } from './http-steady-load.js'
import { expectAccepted, ingestRequests } from './http-workload.js'
import { fromRounds } from './measure.js'
import { quantile } from './stats.js'

const CONNECTIONS = 50
const RATE = 1000

/** Both servers, the kobometer one on a fresh SQLite file in `dir`, checked before use. */
async function withServers<T>(dir: string, use: (servers: BenchServer[]) => Promise<T>): Promise<T> {
  const servers: BenchServer[] = []
  try {
    servers.push(await startServer({ app: 'kobometer', filename: join(dir, 'kobometer.db') }))
    servers.push(await startServer({ app: 'bare' }))
    await expectAccepted(servers[0]!, ingestRequests(1)(), 1)
    return await use(servers)
  } finally {
    for (const s of servers) await s.stop()
  }
}

/**
 * Requests/s answered with 50 connections, kobometer against the bare handler, and the server's CPU
 * time per request (steadier than requests/s on a shared host: another process's load takes cores
 * away, not CPU time from each request).
 * @example const rows = await singleEventThroughput(sub('throughput'), ctx.quick)
 */
export async function singleEventThroughput(dir: string, quick: boolean): Promise<Result[]> {
  const seconds = quick ? 1 : 5
  const [kobometer, bare] = await withServers(dir, (servers) =>
    alternate(
      servers,
      (s) => throughputRound(s, ingestRequests(1), { connections: CONNECTIONS, seconds }),
      (s) => throughputRound(s, ingestRequests(1), { connections: CONNECTIONS, seconds: quick ? 1 : 2 }),
    ),
  )
  const name = `http POST /v1/events, 1 event/request, ${CONNECTIONS} connections, sqlite, vs bare Hono handler`
  return [
    compare(
      name,
      fromRounds(
        kobometer!.map((r) => r.perSecond),
        'req/s',
      ),
      fromRounds(
        bare!.map((r) => r.perSecond),
        'req/s',
      ),
      { minRatio: 0.5 },
    ),
    compare(
      `${name}, server CPU per request`,
      fromRounds(
        kobometer!.map((r) => r.cpuPerRequest),
        'µs',
      ),
      fromRounds(
        bare!.map((r) => r.cpuPerRequest),
        'µs',
      ),
    ),
  ]
}

/**
 * p50 and p99 in ms at a steady 1,000 requests/s, kobometer against the bare handler.
 * @example const rows = await singleEventLatency(sub('latency'), ctx.quick)
 */
export async function singleEventLatency(dir: string, quick: boolean): Promise<Result[]> {
  const seconds = quick ? 1 : 5
  const [kobometer, bare] = await withServers(dir, (servers) =>
    alternate(
      servers,
      async (s) => {
        const ms = await steadyRateRound(s, ingestRequests(1), { rate: RATE, seconds })
        return { p50: quantile(ms, 0.5), p99: quantile(ms, 0.99) }
      },
      (s) => steadyRateRound(s, ingestRequests(1), { rate: RATE, seconds: 1 }),
    ),
  )
  const name = `http POST /v1/events, 1 event/request at ${RATE.toLocaleString('en')} req/s, sqlite, vs bare Hono handler`
  const stat = (rounds: Array<{ p50: number; p99: number }>, s: 'p50' | 'p99') =>
    fromRounds(
      rounds.map((r) => r[s]),
      'ms',
    )
  return [
    compare(`${name} (p50)`, stat(kobometer!, 'p50'), stat(bare!, 'p50')),
    compare(`${name} (p99)`, stat(kobometer!, 'p99'), stat(bare!, 'p99'), { max: 5 }),
  ]
}
