import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BillingError } from '../../src/index.js'
import { call, type HttpFixture, httpFixture, type TestResponse } from './http-fixture.js'

/** Sends a request over a raw `node:http` client: chunks written one by one, `pauseMs` apart. */
function rawRequest(
  url: string,
  options: {
    path: string
    headers: Record<string, string>
    chunks: Array<string | Uint8Array>
    pauseMs?: number
  },
): Promise<{ status: number; body: string; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0
    const req = httpRequest(
      `${url}${options.path}`,
      { method: 'POST', headers: options.headers, agent: false },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          body += chunk
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sent }))
      },
    )
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The server may answer and close while the client is still writing: that is the point.
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error)
    })
    const write = async () => {
      for (const chunk of options.chunks) {
        if (req.destroyed || req.writableEnded) return
        req.write(chunk)
        sent += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength
        if (options.pauseMs !== undefined) await new Promise((r) => setTimeout(r, options.pauseMs))
      }
      req.end()
    }
    void write()
  })
}

describe('bad input on the wire', () => {
  let f: HttpFixture
  let url: string
  beforeAll(async () => {
    f = await httpFixture('node:http', {
      api: { maxBodyBytes: 64 * 1024, bodyTimeoutMs: 300, maxJsonDepth: 32 },
    })
    url = f.url as string
  })
  afterAll(() => f.close())

  const post = (
    body: string | Uint8Array,
    headers: Record<string, string> = { 'content-type': 'application/json' },
  ) => f.send({ path: '/v1/events', body, headers })
  const errorOf = async (response: TestResponse) => ({
    status: response.status,
    ...(await response.json()).error,
  })

  it('refuses what is not JSON, or not in UTF-8, with 400 and where it broke', async () => {
    expect(await errorOf(await post('{"events": [}'))).toMatchObject({ status: 400, code: 'INVALID_JSON' })
    expect(await errorOf(await post(''))).toMatchObject({ status: 400, code: 'INVALID_JSON' })
    expect(await errorOf(await post('{"events": []} trailing'))).toMatchObject({
      status: 400,
      code: 'INVALID_JSON',
    })
    expect(await errorOf(await post('{"events": ["\\x"]}'))).toMatchObject({
      status: 400,
      code: 'INVALID_JSON',
    })
    const latin1 = new Uint8Array([
      ...Buffer.from('{"events": [{"customer_id": "caf'),
      0xe9,
      ...Buffer.from('"}]}'),
    ])
    expect(await errorOf(await post(latin1))).toMatchObject({ status: 400, code: 'INVALID_ENCODING' })
    const nul =
      '{"events": [{"event_name": "api_call", "customer_id": "a\\u0000b", "idempotency_key": "nul"}]}'
    const result = await (await post(nul)).json()
    expect(result.results[0]).toMatchObject({ status: 'rejected', error: { path: 'customer_id' } })
  })

  it('refuses a duplicate key anywhere, naming it', async () => {
    const body =
      '{"events": [{"event_name": "api_call", "customer_id": "cus_1", "customer_id": "cus_2", "idempotency_key": "d"}]}'
    expect(await errorOf(await post(body))).toMatchObject({
      status: 400,
      code: 'DUPLICATE_JSON_KEY',
      path: 'events[0].customer_id',
    })
    expect(await f.billing.events.list({ customer_id: 'cus_2' })).toMatchObject({ data: [] })
  })

  it('refuses deep nesting with 400, never a stack overflow', async () => {
    const deep = `{"events": [{"properties": ${'['.repeat(20_000)}${']'.repeat(20_000)}}]}`
    expect(await errorOf(await post(deep))).toMatchObject({ status: 400, code: 'JSON_TOO_DEEP' })
  })

  it('answers 415 for other content types, and takes JSON with a UTF-8 charset', async () => {
    const body = JSON.stringify({ events: [call('ct_1')] })
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
    ])
      expect(await errorOf(await post(body, { 'content-type': type }))).toMatchObject({
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
      })
    expect(await errorOf(await post(body, {}))).toMatchObject({ status: 415 })
    const ok = await post(body, { 'content-type': 'Application/JSON; charset="UTF-8"' })
    expect((await ok.json()).accepted).toBe(1)
  })

  it('answers 413 before reading a body whose Content-Length is over the limit', async () => {
    const answer = await rawRequest(url, {
      path: '/v1/events',
      headers: {
        'content-type': 'application/json',
        'content-length': String(10 * 1024 * 1024),
        authorization: `Bearer ${f.keys.admin}`,
      },
      chunks: ['{"events": ['],
    })
    expect(answer.status).toBe(413)
    expect(JSON.parse(answer.body).error.code).toBe('PAYLOAD_TOO_LARGE')
  })

  it('stops reading a chunked body once it passes the limit, without waiting for the rest', async () => {
    const chunk = ' '.repeat(16 * 1024)
    const answer = await rawRequest(url, {
      path: '/v1/events',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${f.keys.admin}` },
      chunks: ['{"events": [', ...Array.from({ length: 2_000 }, () => chunk)],
      pauseMs: 1,
    })
    expect(answer.status).toBe(413)
    // 32 MB were on offer; the answer came after a fraction of it.
    expect(answer.sent).toBeLessThan(8 * 1024 * 1024)
  })

  it('answers 408 to a body that stalls past the read timeout, and stores nothing of it', async () => {
    const answer = await rawRequest(url, {
      path: '/v1/events',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${f.keys.admin}` },
      chunks: [
        '{"events": [{"event_name": "api_call", ',
        '"customer_id": "slow", "idempotency_key": "s1"}]}',
      ],
      pauseMs: 1_000,
    })
    expect(answer.status).toBe(408)
    expect(JSON.parse(answer.body).error.code).toBe('REQUEST_TIMEOUT')
    expect((await f.billing.events.list({ customer_id: 'slow' })).data).toEqual([])
  })

  it('keeps numbers a double cannot hold exact: sums them exactly, never rounds them', async () => {
    await f.billing.customers.create({ id: 'cus_big' })
    const body = `{"events": [
      {"event_name": "completion", "customer_id": "cus_big", "idempotency_key": "b1", "timestamp": "2026-11-15T10:00:00Z", "properties": {"tokens": 12345678901234567891}},
      {"event_name": "completion", "customer_id": "cus_big", "idempotency_key": "b2", "timestamp": "2026-11-15T10:00:00Z", "properties": {"tokens": 0.10000000000000000001}}]}`
    expect((await (await post(body)).json()).accepted).toBe(2)
    const usage = await f.billing.usage.get({
      customer_id: 'cus_big',
      meter: 'tokens',
      from: '2026-11-01T00:00:00Z',
      to: '2026-12-01T00:00:00Z',
    })
    expect(usage.precise_quantity).toBe('12345678901234567891.10000000000000000001')
    const tooBig = await f.send({
      path: '/v1/alerts',
      json: undefined,
      body: '{"meter": "tokens", "thresholds": [{"amount": 123456789012345678901}]}',
      headers: { 'content-type': 'application/json' },
    })
    expect(await errorOf(tooBig)).toMatchObject({ status: 422, path: 'thresholds[0]' })
  })

  it('keeps one bad event per event: the rest of the batch is stored once', async () => {
    const events = [
      call('mix_1', { timestamp: '2026-11-15T10:00:00Z' }),
      { ...call('mix_2'), timestamp: 'yesterday' },
      call('mix_3', { timestamp: '2026-11-15T10:00:00Z' }),
    ]
    const first = await (await post(JSON.stringify({ events }))).json()
    expect(first).toMatchObject({ accepted: 2, rejected: 1 })
    expect(first.results[1]).toMatchObject({
      status: 'rejected',
      error: { code: 'INVALID_TIMESTAMP', path: 'timestamp' },
    })
    const again = await (await post(JSON.stringify({ events }))).json()
    expect(again).toMatchObject({ accepted: 0, duplicates: 2, rejected: 1 })
  })

  it('takes timestamps as Go and Python write them, kept to the millisecond', async () => {
    const go = '2026-11-15T11:30:00.123456789+01:00' // time.Time's MarshalJSON (RFC 3339, nanoseconds)
    const python = '2026-11-15T10:30:00.123456+00:00' // datetime.isoformat() with a tz
    const result = await (
      await post(
        JSON.stringify({ events: [call('go_1', { timestamp: go }), call('py_1', { timestamp: python })] }),
      )
    ).json()
    expect(result.accepted).toBe(2)
    const stored = await f.billing.events.list({
      customer_id: 'cus_1',
      from: '2026-11-15T10:30:00Z',
      to: '2026-11-15T10:31:00Z',
    })
    expect(stored.data.map((e) => e.timestamp)).toEqual([
      '2026-11-15T10:30:00.123Z',
      '2026-11-15T10:30:00.123Z',
    ])
  })

  it('refuses repeated and unknown query parameters with 400', async () => {
    const twice = await f.send({ path: '/v1/usage?customer_id=a&customer_id=b&meter=m&from=0&to=1' })
    expect(await errorOf(twice)).toMatchObject({ status: 400, code: 'INVALID_QUERY', path: 'customer_id' })
    const unknown = await f.send({ path: '/v1/customers?limit=2&sort=desc' })
    expect(await errorOf(unknown)).toMatchObject({ status: 400, code: 'INVALID_QUERY' })
    const tooLong = await f.send({ path: `/v1/customers/${'x'.repeat(300)}` })
    expect(await errorOf(tooLong)).toMatchObject({ status: 404 })
  })
})

describe('failures inside the host', () => {
  it('answers 500 INTERNAL_ERROR without the error message, and 503 with Retry-After when storage is down', async () => {
    const f = await httpFixture('fetch')
    const logged: string[] = []
    const { createHttpApi } = await import('../../src/http/index.js')
    let failure: unknown = new Error('SELECT secret FROM kobometer_api_keys -- at /srv/app/db.js:12')
    const billing = {
      ...f.billing,
      apiKeys: f.billing.apiKeys,
      events: {
        ...f.billing.events,
        ingest: async () => {
          throw failure
        },
      },
    }
    const api = createHttpApi(billing, {
      logger: { debug() {}, info() {}, warn() {}, error: (m) => logged.push(m) },
    })
    const send = () =>
      api.fetch(
        new Request('http://x/v1/events', {
          method: 'POST',
          headers: { authorization: `Bearer ${f.keys.admin}`, 'content-type': 'application/json' },
          body: JSON.stringify({ events: [call('e1')] }),
        }),
      )
    const crashed = await send()
    expect(crashed.status).toBe(500)
    const text = await crashed.text()
    expect(JSON.parse(text)).toEqual({ error: { code: 'INTERNAL_ERROR', message: 'internal error' } })
    expect(text).not.toMatch(/SELECT|srv|at /)
    expect(logged).toEqual(['http request failed'])
    failure = new BillingError(
      'STORAGE_UNAVAILABLE',
      'connect ECONNREFUSED 10.0.0.5:5432 (postgres://app:hunter2@db)',
    )
    const down = await send()
    expect(down.status).toBe(503)
    expect(down.headers.get('retry-after')).toBe('1')
    expect(await down.text()).not.toMatch(/hunter2|10\.0\.0\.5/)
    await f.close()
  })
})
