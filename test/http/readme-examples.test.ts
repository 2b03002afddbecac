import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpApi, type HttpApi } from '../../src/http/index.js'
import type { Billing } from '../../src/index.js'
import { EXAMPLES, type Loss, missingCommand, run, serveLosingFirstAnswer } from './example-runner.js'
import { type Listening, mountFixture, serveListener } from './mount-fixture.js'

const curlMissing = missingCommand('curl')
const pythonMissing = missingCommand('python3')
const skipped = (reason: string | undefined) => (reason === undefined ? '' : ` (skipped: ${reason})`)

let billing: Billing
let api: HttpApi
let server: Listening
let apiKey: string

beforeAll(async () => {
  ;({ billing } = await mountFixture())
  api = createHttpApi(billing, { basePath: '/billing' })
  server = await serveListener(api.nodeListener)
  ;({ secret: apiKey } = await billing.apiKeys.create({
    name: 'examples',
    scopes: ['events:write', 'usage:read'],
  }))
})

afterAll(async () => {
  await server?.close()
  await billing?.close()
})

/** The environment the README has the reader set (the API mounted at /billing), for a fresh customer. */
function envFor(origin: string, extra: Record<string, string> = {}) {
  const customer = `cus_${randomUUID()}`
  const env = { KOBOMETER_URL: `${origin}/billing`, KOBOMETER_API_KEY: apiKey, CUSTOMER_ID: customer }
  return { customer, env: { ...env, ...extra } }
}

async function storedKeys(customer: string): Promise<string[]> {
  return (await billing.events.list({ customer_id: customer })).data.map((event) => event.idempotency_key)
}

describe.skipIf(curlMissing)(`examples/http/ingest.sh${skipped(curlMissing)}`, () => {
  it('ingests one event with curl and prints the answer, then the usage read back', async () => {
    const { customer, env } = envFor(server.url, { IDEMPOTENCY_KEY: 'req_curl_1' })
    const { code, stdout, stderr } = await run('sh', [`${EXAMPLES}ingest.sh`], env)
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const [ingested, usage] = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(ingested).toMatchObject({ accepted: 1, results: [{ status: 'accepted' }] })
    expect(usage).toMatchObject({ customer_id: customer, meter: 'api_calls', quantity: 1 })
    expect(await storedKeys(customer)).toEqual(['req_curl_1'])
  })

  it('curl --retry resends the same key after a 503, so the event is stored once', async () => {
    const lossy = await serveLosingFirstAnswer(api, '503')
    try {
      const { customer, env } = envFor(lossy.url)
      const { code, stdout } = await run('sh', [`${EXAMPLES}ingest.sh`], env)
      expect(code).toBe(0)
      expect(lossy.eventBodies).toHaveLength(2)
      expect(lossy.eventBodies[1]).toBe(lossy.eventBodies[0])
      expect(stdout).toContain('"duplicates":1')
      expect(await storedKeys(customer)).toHaveLength(1)
    } finally {
      await lossy.close()
    }
  })
})

describe.skipIf(pythonMissing)(`examples/http/ingest.py${skipped(pythonMissing)}`, () => {
  const python = (env: Record<string, string>) => run('python3', [`${EXAMPLES}ingest.py`], env)

  it("sends Python's isoformat() timestamp (microseconds, +00:00), accepted and kept to the millisecond", async () => {
    const { customer, env } = envFor(server.url)
    const { code, stdout, stderr } = await python(env)
    expect(stderr).toBe('')
    expect(code).toBe(0)
    const match = /^accepted: (\S+) at (\S+\.\d{6}\+00:00)$/m.exec(stdout)
    expect(match).not.toBeNull()
    const [, key, timestamp] = match as RegExpExecArray
    const usage = JSON.parse(/^usage: (.*)$/m.exec(stdout)?.[1] ?? 'null')
    expect(usage).toMatchObject({ customer_id: customer, meter: 'api_calls', quantity: 1 })
    const [stored] = (await billing.events.list({ customer_id: customer })).data
    expect(stored).toMatchObject({ idempotency_key: key, properties: { tokens: 1200, model: 'large' } })
    expect(stored?.timestamp).toBe(timestamp?.replace(/(\.\d{3})\d+\+00:00$/, '$1Z'))
  })

  it('run twice with the same IDEMPOTENCY_KEY: stored once, the second run is refused as a conflict', async () => {
    const key = `req_${randomUUID()}`
    const { customer, env } = envFor(server.url, { IDEMPOTENCY_KEY: key })
    const first = await python(env)
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/^accepted: /m)
    // A second run is a new event (a new timestamp) under a used key: the first write wins.
    const second = await python(env)
    expect(second.code).toBe(1)
    expect(second.stdout).toMatch(/^conflict: /m)
    expect(second.stderr).toContain('IDEMPOTENCY_CONFLICT')
    expect(await storedKeys(customer)).toEqual([key])
  })

  it.each<Loss>(['connection reset', '503'])(
    'retries once with the same key after a lost answer (%s): a duplicate, stored once',
    async (loss) => {
      const lossy = await serveLosingFirstAnswer(api, loss)
      try {
        const { customer, env } = envFor(lossy.url)
        const { code, stdout, stderr } = await python(env)
        expect(stderr).toBe('')
        expect(code).toBe(0)
        expect(stdout).toMatch(/^duplicate: /m)
        expect(lossy.eventBodies).toHaveLength(2)
        expect(lossy.eventBodies[1]).toBe(lossy.eventBodies[0])
        expect(await storedKeys(customer)).toHaveLength(1)
      } finally {
        await lossy.close()
      }
    },
  )
})
