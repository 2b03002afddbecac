// Throughput load for the HTTP bench (autocannon, in this process): as many requests in flight as
// connections, at all times. Each request is built fresh (`next`), so every ingested event carries a
// new idempotency key.
import autocannon from 'autocannon'
import type { BenchServer } from './http-servers.js'

/** One request of a round. */
export interface LoadRequest {
  method: 'GET' | 'POST'
  path: string
  body?: string
}

/**
 * The headers of a request to `server`: its API key, and the JSON content type for a body.
 * @example headersFor(server, { method: 'GET', path: '/v1/meters' }) // { authorization: 'Bearer kbm_sk_…' }
 */
export function headersFor(server: BenchServer, request: LoadRequest): Record<string, string> {
  const headers: Record<string, string> = {}
  if (request.body !== undefined) headers['content-type'] = 'application/json'
  if (server.authorization !== '') headers.authorization = server.authorization
  return headers
}

function run(
  server: BenchServer,
  next: () => LoadRequest,
  options: { connections: number; seconds: number },
) {
  const first = next()
  return autocannon({
    url: server.url,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        method: first.method,
        path: first.path,
        headers: headersFor(server, first),
        setupRequest: (request) => {
          const { path, body } = next()
          return body === undefined ? { ...request, path } : { ...request, path, body }
        },
      },
    ],
  })
}

function assertClean(result: { errors: number; timeouts: number; non2xx: number }, what: string): void {
  if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0)
    throw new Error(
      `${what}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers`,
    )
}

/** What a throughput round measured. */
export interface ThroughputRound {
  /** Requests answered 2xx per second. */
  perSecond: number
  /** CPU time the server process spent per answered request, in µs. */
  cpuPerRequest: number
}

/**
 * Requests per second answered 2xx over `seconds`, `connections` requests in flight at all times,
 * and the server's CPU time per request. Throws if any request failed.
 * @example const { perSecond } = await throughputRound(server, ingestRequests(1), { connections: 50, seconds: 5 })
 */
export async function throughputRound(
  server: BenchServer,
  next: () => LoadRequest,
  options: { connections: number; seconds: number },
): Promise<ThroughputRound> {
  const cpuBefore = await server.cpuMicros()
  const result = await run(server, next, options)
  const cpu = (await server.cpuMicros()) - cpuBefore
  assertClean(result, `throughput round on ${server.url}`)
  return { perSecond: result['2xx'] / result.duration, cpuPerRequest: cpu / result['2xx'] }
}

/**
 * Sends one request and answers its status and JSON body: each case checks the server does the
 * real work (events accepted, limits enforced) before measuring it.
 * @example const { status, body } = await probeRequest(server, ingestRequest(1))
 */
export async function probeRequest(
  server: BenchServer,
  request: LoadRequest,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.url}${request.path}`, {
    method: request.method,
    headers: headersFor(server, request),
    ...(request.body === undefined ? {} : { body: request.body }),
  })
  return { status: response.status, body: await response.json() }
}
