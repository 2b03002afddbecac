import { execFile } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { sqliteStorage } from '../src/adapters/sqlite.js'
import { createHttpApi } from '../src/http/index.js'
import { createBilling } from '../src/index.js'

const run = promisify(execFile)
const CLIENT = fileURLToPath(new URL('./http-client.mjs', import.meta.url))

/**
 * Any language: serves the HTTP API on a local port and has another process (a plain script that
 * knows only the URL and a key) send one event, twice; the API counts it once.
 */
export async function runHttpDemo(dir: string): Promise<void> {
  const billing = await createBilling({ storage: sqliteStorage({ filename: join(dir, 'http.db') }) })
  const server = createServer(createHttpApi(billing).nodeListener)
  try {
    await billing.meters.create({ code: 'api_calls', event_name: 'api_call', aggregation: 'count' })
    const key = await billing.apiKeys.create({ name: 'go-service', scopes: ['events:write', 'usage:read'] })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    console.log(
      `API on ${url} (reference: ${url}/v1/docs); key ${key.prefix}… scopes ${key.scopes.join(', ')}`,
    )
    const started = new Date()
    for (const attempt of ['first send', 'a retry ']) {
      const { stdout } = await run(process.execPath, [
        CLIENT,
        url,
        key.secret,
        'req_7f3a',
        started.toISOString(),
      ])
      const answer = JSON.parse(stdout) as { status: number; accepted: number; duplicates: number }
      console.log(
        `  another process, ${attempt}: POST /v1/events → ${answer.status}, accepted ${answer.accepted}, duplicates ${answer.duplicates}`,
      )
    }
    const query = new URLSearchParams({
      customer_id: 'cus_bolt',
      meter: 'api_calls',
      from: new Date(started.getTime() - 60_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
    })
    const usage = await fetch(`${url}/v1/usage?${query}`, {
      headers: { authorization: `Bearer ${key.secret}` },
    })
    const { quantity } = (await usage.json()) as { quantity: number }
    console.log(`  GET /v1/usage → ${quantity} call counted, once`)
  } finally {
    await new Promise((resolve) => server.close(resolve))
    await billing.close()
  }
}
