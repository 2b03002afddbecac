// `POST /v1/events` with 1,000-event batches against `billing.events.ingest` of the same batches
// called in this process, each on a fresh SQLite store: what the HTTP layer (body reading, strict
// JSON, envelope validation, answer) costs per event on top of the ingest itself.
import { join } from 'node:path'
import { hrtime } from 'node:process'
import { sqliteStorage } from '../src/adapters/sqlite.js'
import { type Billing, createBilling } from '../src/index.js'
import { compare, type Result } from './harness.js'
import { throughputRound } from './http-load.js'
import { alternate } from './http-rounds.js'
import { startServer } from './http-servers.js'
import { expectAccepted, ingestRequests } from './http-workload.js'
import { benchMeters, sequence } from './ingest-workload.js'
import { fromRounds } from './measure.js'

const BATCH = 1000
/** Batches in flight, so the server always has the next one when it finishes one. */
const CONNECTIONS = 4

type Contender = { http: true } | { http: false; billing: Billing }

/** Events/s of a round, and CPU time per 1,000-event batch in µs (the server's, over HTTP). */
interface BatchRound {
  perSecond: number
  cpuPerBatch: number
}

/** Ingests batches back to back for `seconds`. */
async function inProcessRound(billing: Billing, seconds: number): Promise<BatchRound> {
  const events = sequence('uuidv7')
  const limit = BigInt(seconds * 1e9)
  const cpu = process.cpuUsage()
  const start = hrtime.bigint()
  let batches = 0
  let elapsed = 0n
  do {
    await billing.events.ingest({ events: events.batch(BATCH) })
    batches++
    elapsed = hrtime.bigint() - start
  } while (elapsed < limit)
  const used = process.cpuUsage(cpu)
  return {
    perSecond: (batches * BATCH * 1e9) / Number(elapsed),
    cpuPerBatch: (used.user + used.system) / batches,
  }
}

/**
 * Events/s of 1,000-event batches over HTTP (4 connections) against in-process `events.ingest`,
 * and CPU time per batch (the server process's; this process's for in-process calls).
 * @example const rows = await batchThroughput(sub('batch'), ctx.quick)
 */
export async function batchThroughput(dir: string, quick: boolean): Promise<Result[]> {
  const seconds = quick ? 1 : 5
  const server = await startServer({ app: 'kobometer', filename: join(dir, 'http.db') })
  const billing = await createBilling({ storage: sqliteStorage({ filename: join(dir, 'in-process.db') }) })
  try {
    for (const m of benchMeters) await billing.meters.create(m)
    await expectAccepted(server, ingestRequests(BATCH)(), BATCH)
    const round = async (c: Contender, s: number): Promise<BatchRound> => {
      if (!c.http) return inProcessRound(c.billing, s)
      const r = await throughputRound(server, ingestRequests(BATCH), { connections: CONNECTIONS, seconds: s })
      return { perSecond: BATCH * r.perSecond, cpuPerBatch: r.cpuPerRequest }
    }
    const [http, inProcess] = await alternate<Contender, BatchRound>(
      [{ http: true }, { http: false, billing }],
      (c) => round(c, seconds),
      (c) => round(c, quick ? 1 : 2),
    )
    const name = `http POST /v1/events, ${BATCH.toLocaleString('en')}-event batches, ${CONNECTIONS} connections, sqlite, vs in-process events.ingest`
    const of = (rounds: BatchRound[], key: keyof BatchRound, unit: string) =>
      fromRounds(
        rounds.map((r) => r[key]),
        unit,
      )
    return [
      compare(name, of(http!, 'perSecond', 'events/s'), of(inProcess!, 'perSecond', 'events/s'), {
        minRatio: 0.7,
      }),
      compare(`${name}, CPU per batch`, of(http!, 'cpuPerBatch', 'µs'), of(inProcess!, 'cpuPerBatch', 'µs')),
    ]
  } finally {
    await server.stop()
    await billing.close()
  }
}
