// Starts the HTTP bench's servers in child processes, so the load generator (this process) and the
// server each have an event loop, and on a 2-core machine a core, of their own.
import { type ChildProcess, fork } from 'node:child_process'
import { once } from 'node:events'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ServerReady, ServerSpec } from './http-server-child.js'

const here = dirname(fileURLToPath(import.meta.url))
const child = join(here, 'http-server-child.ts')

/** The dashboard bench's server script (bench/dashboard-server-child.ts). */
export const DASHBOARD_CHILD = join(here, 'dashboard-server-child.ts')

/**
 * With this variable set to a directory, every server child runs with `--cpu-prof` and writes its
 * profile there when it stops (`KOBOMETER_BENCH_CPU_PROF=/tmp/prof npm run bench -- --filter http`).
 */
export const CPU_PROF_ENV = 'KOBOMETER_BENCH_CPU_PROF'

/** A running server child. */
export interface BenchServer {
  /** `http://127.0.0.1:<port>`. */
  url: string
  /** The `Authorization` header of its API key (empty for the bare server). */
  authorization: string
  /** CPU time (user + system) the server process has used so far, in µs. */
  cpuMicros(): Promise<number>
  /** Closes the server and its store and waits for the child to exit. */
  stop(): Promise<void>
}

function execArgv(): string[] {
  const profDir = process.env[CPU_PROF_ENV]
  const prof = profDir === undefined || profDir === '' ? [] : ['--cpu-prof', '--cpu-prof-dir', profDir]
  return [...prof, '--import', 'tsx']
}

async function stopChild(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return
  const exited = once(server, 'exit')
  server.disconnect()
  await exited
}

async function cpuOf(server: ChildProcess): Promise<number> {
  const answer = new Promise<number>((resolve) => {
    const onMessage = (m: { cpu?: number }) => {
      if (m.cpu === undefined) return
      server.off('message', onMessage)
      resolve(m.cpu)
    }
    server.on('message', onMessage)
  })
  server.send('cpu')
  return answer
}

/**
 * Forks a server child and resolves once it listens; fails if it dies first. `script` is another
 * child speaking the same messages (ready, cpu, stop on disconnect), given `spec` as its argument.
 * @example const server = await startServer({ app: 'bare' }); try { … } finally { await server.stop() }
 */
export async function startServer(spec: ServerSpec | object, script = child): Promise<BenchServer> {
  const server = fork(script, [JSON.stringify(spec)], { execArgv: execArgv() })
  const died = once(server, 'exit').then(([code]) => {
    throw new Error(`server child ${script} exited with code ${String(code)}`)
  })
  died.catch(() => {})
  try {
    const [ready] = (await Promise.race([once(server, 'message'), died])) as [ServerReady]
    return {
      url: `http://127.0.0.1:${ready.port}`,
      authorization: ready.secret === '' ? '' : `Bearer ${ready.secret}`,
      cpuMicros: () => cpuOf(server),
      stop: () => stopChild(server),
    }
  } catch (error) {
    await stopChild(server)
    throw error
  }
}
