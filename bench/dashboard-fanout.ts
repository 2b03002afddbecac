// Live dashboards under ingest: events arrive at a steady 10,000/s (1,000-event batches, 10 a second,
// open loop) with no dashboard open, then with 100 live streams open (50 overviews, and 5 pages each
// of 10 customers who are among those sending events), alternating rounds on one server. The live
// hub polls storage once per topic per second however many pages watch it, so 100 pages cost 11
// polls a second, not 100. Also measured: the ingest at saturation (batches back to back), where
// the polls' share of the server's CPU would show first.
import { hrtime } from 'node:process'
import { openLiveStreams, signIn } from './dashboard-client.js'
import { DASHBOARD_NOW, type DashboardStoreSize, dashboardCustomer } from './dashboard-store.js'
import { compare, type Result } from './harness.js'
import { type LoadRequest, throughputRound } from './http-load.js'
import { alternate } from './http-rounds.js'
import { type BenchServer, DASHBOARD_CHILD, startServer } from './http-servers.js'
import { steadyRateRound } from './http-steady-load.js'
import { expectAccepted } from './http-workload.js'
import { fromRounds } from './measure.js'

const BATCH = 1000
const EVENTS_PER_SECOND = 10_000
const WATCHED_CUSTOMERS = 10
const OVERVIEW_PAGES = 50
const PAGES_PER_CUSTOMER = 5

/** Batches of new events over every customer, stamped with the server's "now" (it started after `t0`). */
function ingestBatches(customers: number, t0: number): () => LoadRequest {
  let next = 0
  return () => {
    const timestamp = DASHBOARD_NOW + (Date.now() - t0)
    const events = Array.from({ length: BATCH }, () => {
      const i = next++
      return {
        event_name: 'api_call',
        customer_id: dashboardCustomer(i % customers),
        idempotency_key: `live${t0}-${i}`,
        timestamp,
        properties: { tokens: (i % 997) + 1 },
      }
    })
    return { method: 'POST', path: '/v1/events', body: JSON.stringify({ events }) }
  }
}

function livePaths(customers: number): string[] {
  const paths = Array<string>(OVERVIEW_PAGES).fill('/dashboard/live')
  for (let c = 0; c < WATCHED_CUSTOMERS; c++) {
    const id = dashboardCustomer(Math.floor((c * customers) / WATCHED_CUSTOMERS))
    for (let p = 0; p < PAGES_PER_CUSTOMER; p++) paths.push(`/dashboard/live?customer_id=${id}`)
  }
  return paths
}

interface Round {
  perSecond: number
  /** Server CPU per 1,000 events, µs: the ingest's and, with pages open, the polls'. */
  cpuPerBatch: number
}

/** Runs `measure` with the live pages open (or none), closing them after; logs what they received. */
async function withPages(
  server: BenchServer,
  cookie: string,
  paths: string[],
  measure: () => Promise<Round>,
  log: (m: string) => void,
): Promise<Round> {
  if (paths.length === 0) return measure()
  const live = await openLiveStreams(server, cookie, paths)
  try {
    return await measure()
  } finally {
    log(`    ${paths.length} live pages received ${live.messages().toLocaleString('en')} messages`)
    live.close()
  }
}

async function steadyRound(server: BenchServer, next: () => LoadRequest, seconds: number): Promise<Round> {
  const cpu = await server.cpuMicros()
  const start = hrtime.bigint()
  const answered = await steadyRateRound(server, next, { rate: EVENTS_PER_SECOND / BATCH, seconds })
  const elapsed = Number(hrtime.bigint() - start) / 1e9
  const used = (await server.cpuMicros()) - cpu
  return { perSecond: (answered.length * BATCH) / elapsed, cpuPerBatch: used / answered.length }
}

async function saturatedRound(server: BenchServer, next: () => LoadRequest, seconds: number): Promise<Round> {
  const r = await throughputRound(server, next, { connections: 4, seconds })
  return { perSecond: r.perSecond * BATCH, cpuPerBatch: r.cpuPerRequest }
}

/**
 * Ingest throughput and server CPU per batch with 100 live dashboards open against none, at a
 * steady 10,000 events/s and at saturation.
 * @example const rows = await liveFanOut(copyOfStore, { customers: 10_000, events: 10_000_000 }, false, log)
 */
export async function liveFanOut(
  filename: string,
  size: DashboardStoreSize,
  quick: boolean,
  log: (m: string) => void,
): Promise<Result[]> {
  const seconds = quick ? 2 : 10
  const t0 = Date.now()
  const server = await startServer({ filename }, DASHBOARD_CHILD)
  try {
    const cookie = await signIn(server)
    const next = ingestBatches(size.customers, t0)
    await expectAccepted(server, next(), BATCH)
    const pages = [[], livePaths(size.customers)]
    const rows: Result[] = []
    for (const [mode, round] of [
      ['steady 10,000 events/s', steadyRound],
      ['saturation, 4 connections', saturatedRound],
    ] as const) {
      const [none, open] = await alternate(pages, (paths) =>
        withPages(server, cookie, paths, () => round(server, next, seconds), log),
      )
      const name = `dashboard live: ingest over http, ${BATCH.toLocaleString('en')}-event batches, ${mode}, with 100 live pages open vs none`
      const of = (rounds: Round[], key: keyof Round, unit: string) =>
        fromRounds(
          rounds.map((r) => r[key]),
          unit,
        )
      rows.push(
        compare(name, of(open!, 'perSecond', 'events/s'), of(none!, 'perSecond', 'events/s'), {
          minRatio: 0.9,
        }),
        compare(
          `${name}, server CPU per batch`,
          of(open!, 'cpuPerBatch', 'µs'),
          of(none!, 'cpuPerBatch', 'µs'),
        ),
      )
    }
    return rows
  } finally {
    await server.stop()
  }
}
