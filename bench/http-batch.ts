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

/** Ingests batches back to back for `seconds`; answers events/s. */
async function inProcessRound(billing: Billing, seconds: number): Promise<number> {
  const events = sequence('uuidv7')
  const limit = BigInt(seconds * 1e9)
  const start = hrtime.bigint()
  let ingested = 0
  let elapsed = 0n
  do {
    await billing.events.ingest({ events: events.batch(BATCH) })
    ingested += BATCH
    elapsed = hrtime.bigint() - start
  } while (elapsed < limit)
  return (ingested * 1e9) / Number(elapsed)
}

/**
 * Events/s of 1,000-event batches over HTTP (4 connections) against in-process `events.ingest`.
 * @example const rows = await batchThroughput(sub('batch'), ctx.quick)
 */
export async function batchThroughput(dir: string, quick: boolean): Promise<Result[]> {
  const seconds = quick ? 1 : 5
  const server = await startServer({ app: 'kobometer', filename: join(dir, 'http.db') })
  const billing = await createBilling({ storage: sqliteStorage({ filename: join(dir, 'in-process.db') }) })
  try {
    for (const m of benchMeters) await billing.meters.create(m)
    await expectAccepted(server, ingestRequests(BATCH)(), BATCH)
    const round = async (c: Contender, s: number) =>
      c.http
        ? BATCH *
          (await throughputRound(server, ingestRequests(BATCH), { connections: CONNECTIONS, seconds: s }))
        : inProcessRound(c.billing, s)
    const [http, inProcess] = await alternate<Contender, number>(
      [{ http: true }, { http: false, billing }],
      (c) => round(c, seconds),
      (c) => round(c, quick ? 1 : 2),
    )
    return [
      compare(
        `http POST /v1/events, ${BATCH.toLocaleString('en')}-event batches, ${CONNECTIONS} connections, sqlite, vs in-process events.ingest`,
        fromRounds(http!, 'events/s'),
        fromRounds(inProcess!, 'events/s'),
        { minRatio: 0.7 },
      ),
    ]
  } finally {
    await server.stop()
    await billing.close()
  }
}
