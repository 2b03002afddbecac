import { connect, createServer, type Socket } from 'node:net'

/** How often the proxy cuts, and what it has cut so far. */
export interface CuttingProxy {
  /** Loopback port to connect to instead of the database's. */
  readonly port: number
  readonly cuts: { random: number; afterCommit: number }
  /** Cuts only while on; off, it forwards faithfully. */
  cutting: boolean
  close(): Promise<void>
}

export interface CutOptions {
  /** Cut instead of forwarding one chunk of bytes (either direction) in every this many, on average. */
  chunksPerCut: number
  /** Cut right after forwarding one COMMIT in every this many, on average. */
  commitsPerCut: number
}

// Counts down a random number of steps, from 1 to twice the mean: cuts come at random points, yet
// surely, however short the run.
function countdown(mean: number): () => boolean {
  const draw = () => 1 + Math.floor(Math.random() * 2 * mean)
  let left = draw()
  return () => {
    if (--left > 0) return false
    left = draw()
    return true
  }
}

const COMMIT = /\bcommit\b/i

/**
 * A TCP proxy on 127.0.0.1 between a database client and its server that cuts connections at
 * random points, and right after a COMMIT reached the server (so the transaction commits while the
 * client only sees its connection die). A cut resets or ends both sides, as a failover would.
 *
 * @example
 * const proxy = await startCuttingProxy(5432, { chunksPerCut: 50, commitsPerCut: 4 })
 * // connect to 127.0.0.1:proxy.port …
 * await proxy.close()
 */
export async function startCuttingProxy(targetPort: number, options: CutOptions): Promise<CuttingProxy> {
  const open = new Set<Socket>()
  const randomCut = countdown(options.chunksPerCut)
  const commitCut = countdown(options.commitsPerCut)
  const proxy: CuttingProxy = {
    port: 0,
    cuts: { random: 0, afterCommit: 0 },
    cutting: false,
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy()
        server.close(() => resolve())
      }),
  }
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1')
    open.add(client)
    open.add(upstream)
    const cut = () => {
      for (const socket of [client, upstream]) {
        if (Math.random() < 0.5) socket.resetAndDestroy()
        else socket.destroy()
      }
    }
    const pipe = (from: Socket, to: Socket, fromClient: boolean) => {
      from.on('data', (chunk: Buffer) => {
        if (proxy.cutting && randomCut()) {
          proxy.cuts.random++
          return cut()
        }
        const commits = fromClient && proxy.cutting && COMMIT.test(chunk.toString('latin1'))
        if (commits && commitCut()) {
          proxy.cuts.afterCommit++
          return to.write(chunk, () => cut())
        }
        to.write(chunk)
      })
      from.on('error', () => to.destroy())
      from.on('close', () => {
        open.delete(from)
        to.destroy()
      })
    }
    pipe(client, upstream, true)
    pipe(upstream, client, false)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  return Object.assign(proxy, { port: typeof address === 'object' && address !== null ? address.port : 0 })
}
