import { execFile, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sqliteStorage } from '../../src/adapters/sqlite.js'
import { createHttpApi } from '../../src/http/index.js'
import { type Billing, createBilling } from '../../src/index.js'

// The Go client's own tests, run against this package's HTTP API on SQLite: `go vet`, the offline
// suite, and the live test whose proxy drops the first ingest's answer so the client must retry.

const clientDir = fileURLToPath(new URL('../../clients/go', import.meta.url))
const goFound = spawnSync('go', ['version'], { encoding: 'utf8' }).status === 0
if (!goFound && process.env.CI === 'true')
  throw new Error('CI=true but `go` is not on PATH: the Go client must be tested in CI')

const CUSTOMER = 'cus_go_client'

/** Runs a command in the client's directory without blocking this process, whose server it calls. */
function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: clientDir, env, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1
      resolve({ code, output: `${stdout}${stderr}` })
    })
  })
}

describe('the Go client against the HTTP API', () => {
  let dir: string
  let billing: Billing
  let server: Server
  let goEnv: NodeJS.ProcessEnv

  beforeAll(async () => {
    if (!goFound) return
    dir = mkdtempSync(join(tmpdir(), 'kobometer-go-'))
    billing = await createBilling({ storage: sqliteStorage({ filename: join(dir, 'billing.db') }) })
    await billing.meters.create({ code: 'api_call', event_name: 'api_call', aggregation: 'count' })
    const { secret } = await billing.apiKeys.create({
      name: 'go-client',
      scopes: ['events:write', 'usage:read'],
    })
    server = createServer(createHttpApi(billing).nodeListener)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    goEnv = {
      ...process.env,
      KOBOMETER_URL: `http://127.0.0.1:${port}`,
      KOBOMETER_API_KEY: secret,
      KOBOMETER_CUSTOMER: CUSTOMER,
      KOBOMETER_KEYS_OUT: join(dir, 'keys.json'),
      GOPROXY: 'off',
      GOFLAGS: '',
      GOCACHE: process.env.GOCACHE ?? join(tmpdir(), 'kobometer-go-cache'),
      ...(process.env.HOME === undefined ? { GOPATH: join(dir, 'gopath') } : {}),
    }
  })

  afterAll(async () => {
    if (!goFound) return
    await new Promise((resolve) => server.close(resolve))
    await billing.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const title = 'passes go vet and go test, and the server holds each event the Go client sent exactly once'
  it.skipIf(!goFound)(
    goFound ? title : `${title} (skipped: \`go\` is not on PATH; install golang-go)`,
    async () => {
      const vet = await run('go', ['vet', './...'], goEnv)
      expect(vet.output).toBe('')
      expect(vet.code).toBe(0)

      const test = await run('go', ['test', '-count=1', '-v', './...'], goEnv)
      expect(test.code, test.output).toBe(0)
      expect(test.output).toContain('--- PASS: TestLiveRetryAfterALostAnswerCountsOnce')
      expect(test.output).toContain('--- PASS: TestLiveAnswersAndErrors')
      expect(test.output).not.toContain('--- SKIP')

      const sent = JSON.parse(readFileSync(goEnv.KOBOMETER_KEYS_OUT as string, 'utf8')) as {
        customer_id: string
        keys: string[]
      }
      expect(sent.customer_id).toBe(CUSTOMER)
      expect(new Set(sent.keys).size).toBe(5)
      const stored = await billing.events.list({ customer_id: CUSTOMER })
      expect(stored.data.map((event) => event.idempotency_key).sort()).toEqual([...sent.keys].sort())
      const usage = await billing.usage.get({
        customer_id: CUSTOMER,
        meter: 'api_call',
        from: Date.now() - 24 * 3_600_000,
        to: Date.now() + 3_600_000,
      })
      expect(usage.quantity).toBe(5)
    },
    180_000,
  )
})
