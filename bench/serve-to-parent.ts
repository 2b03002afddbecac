import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What a server child tells its parent once it listens. */
export interface ServerReady {
  port: number
  /** A key with `events:write` and `usage:read` (empty for `bare`, which checks none). */
  secret: string
}

/**
 * The protocol of every benchmark server child: listen on loopback, tell the parent the port and
 * key, answer `'cpu'` with this process's CPU time in µs (per request it is a figure a busy shared
 * host barely moves), and shut down when the parent goes away.
 *
 * @example
 * serveToParent(createServer(api.nodeListener), key.secret, () => billing.close())
 */
export function serveToParent(server: Server, secret: string, close: () => Promise<void>): void {
  if (process.send === undefined) throw new Error('a server child must be forked with an IPC channel')
  const send = process.send.bind(process)
  server.listen(0, '127.0.0.1', () => {
    const ready: ServerReady = { port: (server.address() as AddressInfo).port, secret }
    send(ready)
  })
  process.on('message', (message) => {
    if (message !== 'cpu') return
    const { user, system } = process.cpuUsage()
    send({ cpu: user + system })
  })
  process.on('disconnect', () => {
    server.closeAllConnections()
    server.close()
    void close().then(() => process.exit(0))
  })
}
