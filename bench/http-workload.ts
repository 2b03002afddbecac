// The requests of the HTTP bench: ingest bodies drawn from the ingest benches' event stream (a fresh
// UUIDv7 key per event), and entitlement checks cycling over the entitlement benches' customers.
import type { LoadRequest } from './http-load.js'
import { probeRequest } from './http-load.js'
import type { BenchServer } from './http-servers.js'
import { sequence } from './ingest-workload.js'

/**
 * `POST /v1/events` requests of `size` new events each.
 * @example const next = ingestRequests(1); next().body // '{"events":[{"event_name":"api_call",…}]}'
 */
export function ingestRequests(size: number): () => LoadRequest {
  const events = sequence('uuidv7')
  return () => ({ method: 'POST', path: '/v1/events', body: JSON.stringify({ events: events.batch(size) }) })
}

/**
 * `GET /v1/entitlements/check` requests for customers `cus_0` … `cus_<customers-1>` in turn.
 * @example const next = checkRequests(10_000); next().path // '/v1/entitlements/check?customer_id=cus_0&meter=calls'
 */
export function checkRequests(customers: number): () => LoadRequest {
  let i = 0
  return () => ({
    method: 'GET',
    path: `/v1/entitlements/check?customer_id=cus_${i++ % customers}&meter=calls`,
  })
}

/**
 * Sends one ingest request and throws unless all its events were accepted: a run that measured
 * 401s or rejected events would measure nothing.
 * @example await expectAccepted(server, ingestRequests(1)(), 1)
 */
export async function expectAccepted(
  server: BenchServer,
  request: LoadRequest,
  events: number,
): Promise<void> {
  const { status, body } = await probeRequest(server, request)
  const accepted = (body as { accepted?: unknown }).accepted
  if (status !== 200 || accepted !== events)
    throw new Error(`ingest probe: status ${status}, body ${JSON.stringify(body).slice(0, 300)}`)
}
