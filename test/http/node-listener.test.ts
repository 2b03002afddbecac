import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryStorage } from '../../src/adapters/memory/index.js'
import { createHttpApi, type HttpApi } from '../../src/http/index.js'
import { type Billing, createBilling } from '../../src/index.js'

// Body and query handling as a Node.js server sees requests: declared lengths, chunked bodies,
// bodies that never come, and fetch-standard requests without any body.
describe('kobometer/http over node:http', () => {
  let billing: Billing
  let api: HttpApi
  let server: Server
  let secret: string

  beforeAll(async () => {
    billing = await createBilling({ storage: memoryStorage() })
    await billing.meters.create({ code: 'calls', event_name: 'api_call', aggregation: 'count' })
    secret = (await billing.apiKeys.create({ name: 'test', scopes: ['events:write'] })).secret
    api = createHttpApi(billing, { maxBodyBytes: 1000, rateLimit: false })
    server = createServer(api.nodeListener)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  })

  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
    await billing.close()
  })

  /** Sends a POST with `chunks` written one by one (chunked unless a content-length is given). */
  function send(
    path: string,
    chunks: string[],
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: { error?: { code: string }; accepted?: number } }> {
    const { port } = server.address() as AddressInfo
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}`, ...headers },
        },
        (res) => {
          let text = ''
          res.on('data', (c: Buffer) => {
            text += c.toString()
          })
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }))
        },
      )
      req.on('error', reject)
      for (const c of chunks) req.write(c)
      req.end()
    })
  }

  const event = (key: string) =>
    JSON.stringify({ events: [{ event_name: 'api_call', customer_id: 'cus_1', idempotency_key: key }] })

  it('ingests a body of declared length', async () => {
    const body = event('k1')
    const answer = await send('/v1/events', [body], { 'content-length': String(Buffer.byteLength(body)) })
    expect(answer).toMatchObject({ status: 200, body: { accepted: 1 } })
  })

  it('ingests a chunked body', async () => {
    const body = event('k2')
    const answer = await send('/v1/events', [body.slice(0, 20), body.slice(20)])
    expect(answer).toMatchObject({ status: 200, body: { accepted: 1 } })
  })

  it('refuses a chunked body that grows past maxBodyBytes', async () => {
    const answer = await send('/v1/events', ['{"events": [', ' '.repeat(600), ' '.repeat(600)])
    expect(answer).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } })
  })

  it('answers an empty JSON body as invalid JSON', async () => {
    const answer = await send('/v1/events', [], { 'content-length': '0' })
    expect(answer).toMatchObject({ status: 400, body: { error: { code: 'INVALID_JSON' } } })
  })

  it('refuses a query naming a parameter twice on a route without a query', async () => {
    const answer = await send('/v1/events?a=1&a=2', [event('k3')])
    expect(answer).toMatchObject({ status: 400, body: { error: { code: 'INVALID_QUERY' } } })
  })

  it('reads a fetch request without any body as {}, whatever its content type', async () => {
    for (const headers of [{}, { 'content-type': 'text/plain' }] as Record<string, string>[]) {
      const response = await api.fetch(
        new Request('http://localhost/v1/events', {
          method: 'POST',
          headers: { authorization: `Bearer ${secret}`, ...headers },
        }),
      )
      expect(response.status).toBe(400)
      expect(await response.json()).toMatchObject({ error: { code: 'INVALID_BATCH' } })
    }
  })
})
