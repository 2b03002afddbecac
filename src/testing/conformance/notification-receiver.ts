import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request a test receiver got: its raw body and headers. */
export interface ReceivedRequest {
  body: string
  headers: IncomingHttpHeaders
}

/** How a test receiver answers: a status (and a Location for redirects), or never. */
export type ReceiverBehaviour = { status: number; location?: string } | 'hang'

/** A local `node:http` webhook receiver for tests. */
export interface TestReceiver {
  url: string
  received: ReceivedRequest[]
  behaviour: ReceiverBehaviour
  close(): Promise<void>
}

/**
 * Starts a receiver on 127.0.0.1 that records every request and answers as `behaviour` says.
 *
 * @example
 * const receiver = await startReceiver({ status: 200 })
 */
export async function startReceiver(behaviour: ReceiverBehaviour): Promise<TestReceiver> {
  const received: ReceivedRequest[] = []
  const state = { behaviour }
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers })
    const now = state.behaviour
    if (now === 'hang') return
    res.writeHead(now.status, now.location === undefined ? {} : { location: now.location })
    res.end(now.status >= 400 ? 'x'.repeat(100_000) : 'ok')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/kobometer`,
    received,
    get behaviour() {
      return state.behaviour
    },
    set behaviour(next) {
      state.behaviour = next
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
