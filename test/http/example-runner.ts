import { execFile, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { getRequestListener } from '@hono/node-server'
import type { HttpApi } from '../../src/http/index.js'
import { type Listening, serveListener } from './mount-fixture.js'

/** The examples the README shows, kept where the test runs them. */
export const EXAMPLES = fileURLToPath(new URL('../../examples/http/', import.meta.url))

/** What a finished command printed and how it exited. */
export interface Finished {
  code: number
  stdout: string
  stderr: string
}

/**
 * Why a command cannot run here, in one line, or undefined when it can. Under CI=true a missing
 * command throws: the examples must be proven there.
 *
 * @example
 * describe.skipIf(missingCommand('curl'))('the curl example', () => { ... })
 */
export function missingCommand(command: string): string | undefined {
  const probe = spawnSync(command, ['--version'], { stdio: 'ignore' })
  if (probe.error === undefined && probe.status === 0) return undefined
  const reason = `${command} is not installed`
  if (process.env.CI === 'true') throw new Error(`CI=true but ${reason}: the README examples must run in CI`)
  return reason
}

/**
 * Runs a command to its end with the given environment added, never throwing on its exit code.
 *
 * @example
 * const { code, stdout } = await run('sh', [`${EXAMPLES}ingest.sh`], { KOBOMETER_URL: url })
 */
export function run(command: string, args: string[], env: Record<string, string>): Promise<Finished> {
  const { IDEMPOTENCY_KEY: _ignored, ...inherited } = process.env
  return new Promise((done) => {
    execFile(command, args, { env: { ...inherited, ...env }, timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1
      done({ code, stdout, stderr })
    })
  })
}

/** How the first answer to `POST /v1/events` is lost after the events were stored. */
export type Loss = 'connection reset' | '503'

/**
 * Serves the API but loses its first answer to `POST /v1/events` after the API has handled it, as
 * a dropped connection or a proxy's 503 would: the client sees a failure although the events are
 * stored. Records every `POST /v1/events` body it received.
 *
 * @example
 * const server = await serveLosingFirstAnswer(api, '503')
 */
export async function serveLosingFirstAnswer(
  api: HttpApi,
  loss: Loss,
): Promise<Listening & { eventBodies: string[] }> {
  const eventBodies: string[] = []
  const listener = getRequestListener(
    async (request, env) => {
      const isIngest = request.method === 'POST' && new URL(request.url).pathname.endsWith('/v1/events')
      if (isIngest) eventBodies.push(await request.clone().text())
      const response = await api.fetch(request)
      if (!isIngest || eventBodies.length > 1) return response
      if (loss === 'connection reset') {
        env.incoming.socket.destroy()
        return response
      }
      return new Response('{"error":{"code":"BAD_GATEWAY","message":"upstream timed out"}}', {
        status: 503,
        headers: { 'content-type': 'application/json', 'retry-after': '0' },
      })
    },
    { overrideGlobalObjects: false },
  )
  return { ...(await serveListener(listener)), eventBodies }
}
