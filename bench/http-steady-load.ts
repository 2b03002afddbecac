// Latency at a steady request rate, open loop: request i leaves at i / rate seconds whether or not
// earlier ones were answered, as independent clients' requests would. (autocannon's own rate limit
// lets each connection send its whole per-second budget back to back, then idle: bursts, not a
// steady rate, which measures queueing behind the burst.)
import { Agent, request as httpRequest } from 'node:http'
import { hrtime } from 'node:process'
import { headersFor, type LoadRequest } from './http-load.js'
import type { BenchServer } from './http-servers.js'

/**
 * Per-request latencies in ms, ascending, of `rate` requests/s over `seconds`, each timed from
 * the moment it is sent to the end of its answer, on keep-alive connections opened as needed.
 * Throws if any request failed.
 * @example const ms = await steadyRateRound(server, ingestRequests(1), { rate: 1000, seconds: 5 })
 */
export async function steadyRateRound(
  server: BenchServer,
  next: () => LoadRequest,
  options: { rate: number; seconds: number },
): Promise<Float64Array> {
  const { hostname, port } = new URL(server.url)
  const agent = new Agent({ keepAlive: true, maxSockets: 256 })
  const total = Math.max(1, Math.round(options.rate * options.seconds))
  const latencies = new Float64Array(total)
  let failures = 0
  try {
    await new Promise<void>((resolve, reject) => {
      let sent = 0
      let answered = 0
      const send = (i: number) => {
        const r = next()
        const headers: Record<string, string | number> = headersFor(server, r)
        if (r.body !== undefined) headers['content-length'] = Buffer.byteLength(r.body)
        const t0 = hrtime.bigint()
        const req = httpRequest({ hostname, port, path: r.path, method: r.method, headers, agent }, (res) => {
          res.resume()
          res.on('end', () => {
            latencies[i] = Number(hrtime.bigint() - t0) / 1e6
            if ((res.statusCode ?? 0) >= 300) failures++
            if (++answered === total) resolve()
          })
        })
        req.on('error', reject)
        req.end(r.body)
      }
      const start = hrtime.bigint()
      const tick = () => {
        const due = Math.min(total, Math.floor((Number(hrtime.bigint() - start) / 1e9) * options.rate) + 1)
        while (sent < due) send(sent++)
        if (sent < total) setTimeout(tick, 1)
      }
      tick()
    })
  } finally {
    agent.destroy()
  }
  if (failures > 0) throw new Error(`steady-rate round on ${server.url}: ${failures} non-2xx answers`)
  return latencies.sort()
}
